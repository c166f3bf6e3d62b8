"""Import and export job records, in the items table next to the owner's items.

Keys: pk OWNER#<owner>, sk IMPORT#<id> or EXPORT#<id>; `entity` tells them from items (the audit stream
processor skips anything that is not an "Item"), and `expiresAt` lets TTL delete them with their files.
Every state change is a conditional UpdateItem, so duplicate deliveries of one job's messages cannot
reopen a finished job, and the owner's delete is a DeleteItem conditional on a job nobody works on. The
transitions here are idempotent (a retried call that was applied finds the state it set and sets it again); the
progress writes, which are not, live in dynamodb_job_progress.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from app.adapters.aws import error_code, unavailable_on_transient_errors
from app.adapters.conditional_writes import ConditionalWrites, ConditionFailed
from app.adapters.items_table import to_attributes
from app.adapters.job_attributes import EXPORT_PREFIX, IMPORT_PREFIX, export_from, import_from, job_key
from app.domain.errors import JobNotFinishedError, JobNotFoundError
from app.domain.jobs import NULL_VERSION
from app.models.jobs import ExportJob, ImportJob, JobStatus

_NAMES = {"#status": "status"}
# The message (of generation :generation) is not older than the job's last hand-over.
_CURRENT = "(attribute_not_exists(generation) OR generation <= :generation)"
# Deletable: not being worked on. attemptDeadline exists only while a final attempt runs; once it has passed, that
# run was stopped (JobService._reported shows the job FAILED). ISO 8601 UTC strings compare in time order.
_STOPPED = "attemptDeadline < :now"
_IMPORT_DELETABLE = f"attribute_exists(pk) AND (#status <> :processing OR {_STOPPED})"
_EXPORT_DELETABLE = f"attribute_exists(pk) AND (#status IN (:completed, :failed) OR {_STOPPED})"


class DynamoDBJobRecords:
    def __init__(self, *, client: Any, table_name: str, retention: timedelta) -> None:
        self._client = client
        self._table = table_name
        self._retention = retention
        self._writes = ConditionalWrites(client)

    # ------------------------------------------------------------------ API side
    def add_import(self, job: ImportJob) -> None:
        counters = {"imported": 0, "rejected": 0, "errors": [], "nextLine": 1, "nextOffset": 0}
        self._add(job_key(job.owner, IMPORT_PREFIX, job.import_id), "Import", job.created_at, job.request_id, counters)

    def get_import(self, *, owner: str, import_id: str) -> ImportJob:
        return import_from(self._get(job_key(owner, IMPORT_PREFIX, import_id)))

    def add_export(self, job: ExportJob) -> None:
        self._add(job_key(job.owner, EXPORT_PREFIX, job.export_id), "Export", job.created_at, job.request_id, {})

    def get_export(self, *, owner: str, export_id: str) -> ExportJob:
        return export_from(self._get(job_key(owner, EXPORT_PREFIX, export_id)))

    def delete_import(self, *, owner: str, import_id: str, now: datetime) -> None:
        self._delete(
            job_key(owner, IMPORT_PREFIX, import_id), _IMPORT_DELETABLE, {":processing": JobStatus.PROCESSING}, now
        )

    def delete_export(self, *, owner: str, export_id: str, now: datetime) -> None:
        finished = {":completed": JobStatus.COMPLETED, ":failed": JobStatus.FAILED}
        self._delete(job_key(owner, EXPORT_PREFIX, export_id), _EXPORT_DELETABLE, finished, now)

    # ------------------------------------------------------------------ worker side
    def start_import(
        self,
        *,
        owner: str,
        import_id: str,
        version_id: str | None,
        deadline: datetime | None = None,
        generation: int = 0,
    ) -> ImportJob | None:
        """PROCESSING for this file version; None if the job is unknown, COMPLETED, busy with another version,
        or handed over more often than the message's `generation` says (the message is stale).

        `deadline` is set when this is the message's final attempt: the time by which the run is over.
        """
        attributes = self._start(
            job_key(owner, IMPORT_PREFIX, import_id),
            "#status = :processing, versionId = if_not_exists(versionId, :version)",
            f"attribute_exists(pk) AND #status <> :completed AND {_CURRENT}"
            " AND (attribute_not_exists(versionId) OR versionId = :version)",
            {
                ":processing": JobStatus.PROCESSING,
                ":completed": JobStatus.COMPLETED,
                ":version": version_id or NULL_VERSION,
                ":generation": generation,
            },
            deadline,
        )
        return None if attributes is None else import_from(attributes)

    def fail_import(self, *, owner: str, import_id: str, reason: str) -> None:
        self._fail(job_key(owner, IMPORT_PREFIX, import_id), reason)

    def start_export(
        self, *, owner: str, export_id: str, deadline: datetime | None = None, generation: int = 0
    ) -> ExportJob | None:
        """PROCESSING, with the checkpoint to resume from; None if the job is unknown, already COMPLETED, or the
        message is stale (the job was handed over more often than its `generation` says)."""
        attributes = self._start(
            job_key(owner, EXPORT_PREFIX, export_id),
            "#status = :processing",
            f"attribute_exists(pk) AND #status <> :completed AND {_CURRENT}",
            {":processing": JobStatus.PROCESSING, ":completed": JobStatus.COMPLETED, ":generation": generation},
            deadline,
        )
        return None if attributes is None else export_from(attributes)

    def complete_export(self, *, owner: str, export_id: str, item_count: int) -> None:
        self._transition(
            job_key(owner, EXPORT_PREFIX, export_id),
            "#status = :completed, itemCount = :count",
            "attribute_exists(pk)",
            {":completed": JobStatus.COMPLETED, ":count": item_count},
            "attemptDeadline",
        )

    def fail_export(self, *, owner: str, export_id: str, reason: str) -> ExportJob | None:
        """FAILED unless COMPLETED; the failed record (its checkpoint names the upload to abort), else None."""
        attributes = self._fail(job_key(owner, EXPORT_PREFIX, export_id), reason)
        return None if attributes is None else export_from(attributes)

    def hand_over(self, *, owner: str, kind: str, job_id: str, generation: int = 0) -> None:
        """After a continuation message of `generation` was sent: older messages are stale from now on, and a
        final attempt's deadline no longer says anything about the job."""
        prefix = IMPORT_PREFIX if kind == "import" else EXPORT_PREFIX
        self._transition(
            job_key(owner, prefix, job_id),
            "#status = :processing, generation = :generation",
            f"#status = :processing AND {_CURRENT}",
            {":processing": JobStatus.PROCESSING, ":generation": generation},
            "attemptDeadline",
        )

    # ------------------------------------------------------------------ helpers
    def _add(
        self, key: dict[str, Any], entity: str, created_at: datetime, request_id: str, extra: dict[str, Any]
    ) -> None:
        document = {
            "entity": entity,
            "status": JobStatus.PENDING,
            "createdAt": created_at.isoformat(),
            "updatedAt": created_at.isoformat(),
            "requestId": request_id,
            # TTL deletes the record when the bucket's lifecycle rule deletes the job's file.
            "expiresAt": int((created_at + self._retention).timestamp()),
            **extra,
        }
        with unavailable_on_transient_errors():
            self._client.put_item(TableName=self._table, Item=key | to_attributes(document))

    def _get(self, key: dict[str, Any]) -> dict[str, Any]:
        with unavailable_on_transient_errors():
            response = self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        if "Item" not in response:
            raise JobNotFoundError()
        return dict(response["Item"])

    def _delete(self, key: dict[str, Any], condition: str, values: dict[str, Any], now: datetime) -> None:
        """No marker record (nothing of a deleted job may stay): a retry that finds no record after an attempt
        counts as its own delete, and the record was there when the service read it just before."""
        try:
            self._writes.delete(
                TableName=self._table,
                Key=key,
                ConditionExpression=condition,
                ExpressionAttributeNames=_NAMES,
                ExpressionAttributeValues=to_attributes(values | {":now": now.isoformat()}),
            )
        except ConditionFailed as failed:
            raise (JobNotFoundError() if failed.image is None else JobNotFinishedError()) from failed

    def _fail(self, key: dict[str, Any], reason: str) -> dict[str, Any] | None:
        return self._transition(
            key,
            "#status = :failed, failureReason = :reason",
            "attribute_exists(pk) AND #status <> :completed",
            {":failed": JobStatus.FAILED, ":completed": JobStatus.COMPLETED, ":reason": reason},
            "attemptDeadline",
        )

    def _transition(
        self, key: dict[str, Any], assignments: str, condition: str, values: dict[str, Any], remove: str
    ) -> dict[str, Any] | None:
        """SET assignments and updatedAt, REMOVE `remove`; None when the condition fails (not in the expected state)."""
        try:
            with unavailable_on_transient_errors():
                response = self._client.update_item(
                    TableName=self._table,
                    Key=key,
                    UpdateExpression=f"SET {assignments}, updatedAt = :now REMOVE {remove}",
                    ConditionExpression=condition,
                    ExpressionAttributeNames=_NAMES,
                    ExpressionAttributeValues=to_attributes(values | {":now": datetime.now(UTC).isoformat()}),
                    ReturnValues="ALL_NEW",
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return None
            raise
        return dict(response.get("Attributes", {}))

    def _start(
        self, key: dict[str, Any], assignments: str, condition: str, values: dict[str, Any], deadline: datetime | None
    ) -> dict[str, Any] | None:
        """PROCESSING: clears an earlier attempt's failure reason, and sets or clears the final attempt's deadline."""
        if deadline is None:
            return self._transition(key, assignments, condition, values, "failureReason, attemptDeadline")
        values = values | {":deadline": deadline.isoformat()}
        return self._transition(key, f"{assignments}, attemptDeadline = :deadline", condition, values, "failureReason")
