"""The worker's progress writes: an import's chunk together with its commit, and an export's checkpoint.

Both are conditional on the position they start from, so that of two deliveries of one job only one moves it
on. botocore retries a call whose first attempt may already have been applied (a timeout, a 500), and such a
retry fails that condition against its own write. So each write stores a token unique to the call, asks for
the old image when the condition fails (ReturnValuesOnConditionCheckFailure=ALL_OLD), and a failed condition
whose old image holds the call's own token is its first attempt, applied: the write is committed.
"""

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from app.adapters.aws import error_code, unavailable_on_transient_errors
from app.adapters.dynamodb_items import stored_attributes, to_attributes
from app.adapters.job_attributes import EXPORT_PREFIX, IMPORT_PREFIX, job_key
from app.domain.errors import DependencyUnavailableError
from app.models.items import ItemPublic
from app.models.jobs import ExportCheckpoint, ImportJob, ImportProgress, JobStatus

COMMIT_ID = "commitId"  # the attribute holding the id of the call that wrote the record last
_NAMES = {"#status": "status"}


def is_own_write(old_image: Mapping[str, Any] | None, token: str) -> bool:
    """Whether the record a failed condition found is the one this call wrote (its first attempt was applied)."""
    return old_image is not None and old_image.get(COMMIT_ID) == {"S": token}


class DynamoDBJobProgress:
    def __init__(self, *, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def commit_import_chunk(self, job: ImportJob, items: Sequence[ItemPublic], progress: ImportProgress) -> bool:
        """Writes the chunk's items and commits its progress in one transaction, unless another delivery of the
        same job already moved past job.next_line (False).

        One transaction means no item of a chunk exists unless its commit does: a resumed or redelivered import
        never writes a committed line again, so it can neither undo an owner's edit nor re-create an item the
        owner deleted. DynamoDB also makes a retried TransactWriteItems idempotent through the
        ClientRequestToken botocore adds; the token in the record covers retries beyond its 10 minutes.
        """
        token = uuid.uuid4().hex
        values = {
            ":nextLine": progress.next_line,
            ":nextOffset": progress.next_offset,
            ":imported": progress.imported,
            ":rejected": progress.rejected,
            ":errors": [error.model_dump() for error in progress.errors],
            ":status": JobStatus.COMPLETED if progress.finished else JobStatus.PROCESSING,
            ":processing": JobStatus.PROCESSING,
            ":expectedLine": job.next_line,
        }
        commit = self._update(
            job_key(job.owner, IMPORT_PREFIX, job.import_id),
            "nextLine = :nextLine, nextOffset = :nextOffset, imported = imported + :imported, "
            "rejected = rejected + :rejected, errors = list_append(errors, :errors), #status = :status",
            "#status = :processing AND nextLine = :expectedLine",
            values,
            token,
        )
        puts = [{"Put": {"TableName": self._table, "Item": stored_attributes(job.owner, item)}} for item in items]
        return self._commit([{"Update": commit}, *puts], token)

    def checkpoint_export(self, *, owner: str, export_id: str, checkpoint: ExportCheckpoint) -> bool:
        """Saves the upload's parts and the query position as checkpoint number `checkpoint.sequence`, unless
        another delivery saved that number first (False)."""
        token = uuid.uuid4().hex
        expected = checkpoint.sequence - 1
        condition = "#status = :processing AND " + (
            "attribute_not_exists(checkpointSeq)" if expected == 0 else "checkpointSeq = :expected"
        )
        values: dict[str, Any] = {
            ":uploadId": checkpoint.upload_id,
            ":etags": list(checkpoint.etags),
            ":exported": checkpoint.exported,
            ":lastItemId": checkpoint.last_item_id,
            ":next": checkpoint.sequence,
            ":processing": JobStatus.PROCESSING,
        }
        if expected:
            values[":expected"] = expected
        update = self._update(
            job_key(owner, EXPORT_PREFIX, export_id),
            "uploadId = :uploadId, etags = :etags, exported = :exported, lastItemId = :lastItemId, "
            "checkpointSeq = :next",
            condition,
            values,
            token,
        )
        return self._commit([{"Update": update}], token)

    def _update(
        self, key: dict[str, Any], assignments: str, condition: str, values: dict[str, Any], token: str
    ) -> dict[str, Any]:
        now = datetime.now(UTC).isoformat()
        return {
            "TableName": self._table,
            "Key": key,
            "UpdateExpression": f"SET {assignments}, {COMMIT_ID} = :token, updatedAt = :now",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": _NAMES,
            "ExpressionAttributeValues": to_attributes(values | {":token": token, ":now": now}),
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }

    def _commit(self, actions: list[dict[str, Any]], token: str) -> bool:
        """Runs the transaction whose first action updates the job record; False if another delivery was first."""
        try:
            with unavailable_on_transient_errors():
                self._client.transact_write_items(TransactItems=actions)
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons") or [{}]
            if reasons[0].get("Code") == "ConditionalCheckFailed":
                return is_own_write(reasons[0].get("Item"), token)
            # TransactionConflict (another write on the same items) or throttling inside the transaction.
            raise DependencyUnavailableError() from error
        return True
