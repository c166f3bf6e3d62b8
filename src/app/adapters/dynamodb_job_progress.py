"""The worker's progress writes: an import's chunk together with its commit, and an export's checkpoint.

Both are conditional on the position they start from, so that of two deliveries of one job only one moves it
on. botocore retries a call whose first attempt may already have been applied (a timeout, a 500), and such a
retry fails that condition against its own write: both go through ConditionalWrites (adapters/conditional_writes),
which recognises the call's own earlier attempt by its write id, so that the answer is "committed", not "another
delivery moved on".
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from app.adapters.conditional_writes import ConditionalWrites, ConditionFailed
from app.adapters.item_format import stored_attributes
from app.adapters.items_table import to_attributes
from app.adapters.job_attributes import EXPORT_PREFIX, IMPORT_PREFIX, job_key
from app.models.items import ItemPublic
from app.models.jobs import ExportCheckpoint, ImportJob, ImportProgress, JobStatus

_NAMES = {"#status": "status"}


class DynamoDBJobProgress:
    def __init__(self, *, client: Any, table_name: str) -> None:
        self._writes = ConditionalWrites(client)
        self._table = table_name

    def commit_import_chunk(self, job: ImportJob, items: Sequence[ItemPublic], progress: ImportProgress) -> bool:
        """Writes the chunk's items and commits its progress in one transaction, unless another delivery of the
        same job already moved past job.next_line (False).

        One transaction means no item of a chunk exists unless its commit does: a resumed or redelivered import
        never writes a committed line again, so it can neither undo an owner's edit nor re-create an item the
        owner deleted. DynamoDB also makes a retried TransactWriteItems idempotent through the
        ClientRequestToken botocore adds; the write id covers moto, the local stack and retries after 10 minutes.
        """
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
        )
        puts = [{"Put": {"TableName": self._table, "Item": stored_attributes(job.owner, item)}} for item in items]
        return self._commit([{"Update": commit}, *puts])

    def checkpoint_export(self, *, owner: str, export_id: str, checkpoint: ExportCheckpoint) -> bool:
        """Saves the upload's parts and the query position as checkpoint number `checkpoint.sequence`, unless
        another delivery saved that number first (False)."""
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
        )
        return self._commit([{"Update": update}])

    def _update(self, key: dict[str, Any], assignments: str, condition: str, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "TableName": self._table,
            "Key": key,
            "UpdateExpression": f"SET {assignments}, updatedAt = :now",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": _NAMES,
            "ExpressionAttributeValues": to_attributes(values | {":now": datetime.now(UTC).isoformat()}),
        }

    def _commit(self, actions: list[dict[str, Any]]) -> bool:
        """Runs the transaction whose first action updates the job record; False if another delivery was first."""
        try:
            self._writes.transact(actions)
        except ConditionFailed:
            return False
        return True
