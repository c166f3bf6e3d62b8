"""Import and export job records, in the items table next to the owner's items.

Keys: pk OWNER#<owner>, sk IMPORT#<id> or EXPORT#<id>; `entity` tells them from items (the audit stream
processor skips anything that is not an "Item"), and `expiresAt` lets TTL delete them with their files.
Every state change is a conditional UpdateItem, so duplicate deliveries of one job's messages cannot
commit the same chunk twice or reopen a finished job.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from app.adapters.aws import error_code, unavailable_on_transient_errors
from app.adapters.dynamodb_items import from_attributes, owner_key, to_attributes
from app.domain.errors import JobNotFoundError
from app.domain.jobs import NULL_VERSION
from app.models.jobs import ExportJob, ImportJob, ImportProgress, JobStatus, LineError

IMPORT_PREFIX = "IMPORT#"
EXPORT_PREFIX = "EXPORT#"
_NAMES = {"#status": "status"}


def job_key(owner: str, prefix: str, job_id: str) -> dict[str, Any]:
    return {"pk": {"S": owner_key(owner)}, "sk": {"S": prefix + job_id}}


def _import_from(attributes: dict[str, Any]) -> ImportJob:
    values = from_attributes(attributes)
    return ImportJob(
        owner=values["pk"].removeprefix("OWNER#"),
        import_id=values["sk"].removeprefix(IMPORT_PREFIX),
        status=values["status"],
        created_at=values["createdAt"],
        request_id=values["requestId"],
        imported=int(values["imported"]),
        rejected=int(values["rejected"]),
        errors=tuple(LineError(line=int(e["line"]), message=e["message"]) for e in values["errors"]),
        next_line=int(values["nextLine"]),
        next_offset=int(values["nextOffset"]),
        version_id=values.get("versionId"),
    )


def _export_from(attributes: dict[str, Any]) -> ExportJob:
    values = from_attributes(attributes)
    count = values.get("itemCount")
    return ExportJob(
        owner=values["pk"].removeprefix("OWNER#"),
        export_id=values["sk"].removeprefix(EXPORT_PREFIX),
        status=values["status"],
        created_at=values["createdAt"],
        request_id=values["requestId"],
        item_count=None if count is None else int(count),
    )


class DynamoDBJobRecords:
    def __init__(self, *, client: Any, table_name: str, retention: timedelta) -> None:
        self._client = client
        self._table = table_name
        self._retention = retention

    # ------------------------------------------------------------------ API side
    def add_import(self, job: ImportJob) -> None:
        counters = {"imported": 0, "rejected": 0, "errors": [], "nextLine": 1, "nextOffset": 0}
        self._add(job_key(job.owner, IMPORT_PREFIX, job.import_id), "Import", job.created_at, job.request_id, counters)

    def get_import(self, *, owner: str, import_id: str) -> ImportJob:
        return _import_from(self._get(job_key(owner, IMPORT_PREFIX, import_id)))

    def add_export(self, job: ExportJob) -> None:
        self._add(job_key(job.owner, EXPORT_PREFIX, job.export_id), "Export", job.created_at, job.request_id, {})

    def get_export(self, *, owner: str, export_id: str) -> ExportJob:
        return _export_from(self._get(job_key(owner, EXPORT_PREFIX, export_id)))

    # ------------------------------------------------------------------ worker side
    def start_import(self, *, owner: str, import_id: str, version_id: str | None) -> ImportJob | None:
        """PROCESSING for this file version; None if the job is unknown, COMPLETED, or busy with another version."""
        attributes = self._transition(
            job_key(owner, IMPORT_PREFIX, import_id),
            "SET #status = :processing, versionId = if_not_exists(versionId, :version)",
            "attribute_exists(pk) AND #status <> :completed"
            " AND (attribute_not_exists(versionId) OR versionId = :version)",
            {
                ":processing": JobStatus.PROCESSING,
                ":completed": JobStatus.COMPLETED,
                ":version": version_id or NULL_VERSION,
            },
        )
        return None if attributes is None else _import_from(attributes)

    def save_import_progress(self, job: ImportJob, progress: ImportProgress) -> bool:
        """Commits one chunk, unless another delivery of the same job already moved past job.next_line."""
        status = JobStatus.COMPLETED if progress.finished else JobStatus.PROCESSING
        errors = [error.model_dump() for error in progress.errors]
        attributes = self._transition(
            job_key(job.owner, IMPORT_PREFIX, job.import_id),
            "SET nextLine = :nextLine, nextOffset = :nextOffset, imported = imported + :imported, "
            "rejected = rejected + :rejected, errors = list_append(errors, :errors), #status = :status",
            "#status = :processing AND nextLine = :expectedLine",
            {
                ":nextLine": progress.next_line,
                ":nextOffset": progress.next_offset,
                ":imported": progress.imported,
                ":rejected": progress.rejected,
                ":errors": errors,
                ":status": status,
                ":processing": JobStatus.PROCESSING,
                ":expectedLine": job.next_line,
            },
            return_values="NONE",
        )
        return attributes is not None

    def fail_import(self, *, owner: str, import_id: str, reason: str) -> None:
        self._fail(job_key(owner, IMPORT_PREFIX, import_id), reason)

    def start_export(self, *, owner: str, export_id: str) -> ExportJob | None:
        """PROCESSING; None if the job is unknown or already COMPLETED."""
        attributes = self._transition(
            job_key(owner, EXPORT_PREFIX, export_id),
            "SET #status = :processing",
            "attribute_exists(pk) AND #status <> :completed",
            {":processing": JobStatus.PROCESSING, ":completed": JobStatus.COMPLETED},
        )
        return None if attributes is None else _export_from(attributes)

    def complete_export(self, *, owner: str, export_id: str, item_count: int) -> None:
        self._transition(
            job_key(owner, EXPORT_PREFIX, export_id),
            "SET #status = :completed, itemCount = :count",
            "attribute_exists(pk)",
            {":completed": JobStatus.COMPLETED, ":count": item_count},
        )

    def fail_export(self, *, owner: str, export_id: str, reason: str) -> None:
        self._fail(job_key(owner, EXPORT_PREFIX, export_id), reason)

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

    def _fail(self, key: dict[str, Any], reason: str) -> None:
        self._transition(
            key,
            "SET #status = :failed, failureReason = :reason",
            "attribute_exists(pk) AND #status <> :completed",
            {":failed": JobStatus.FAILED, ":completed": JobStatus.COMPLETED, ":reason": reason},
        )

    def _transition(
        self, key: dict[str, Any], update: str, condition: str, values: dict[str, Any], return_values: str = "ALL_NEW"
    ) -> dict[str, Any] | None:
        """A conditional update; None when the condition does not hold (the job is not in the expected state)."""
        try:
            with unavailable_on_transient_errors():
                response = self._client.update_item(
                    TableName=self._table,
                    Key=key,
                    UpdateExpression=update + ", updatedAt = :now",
                    ConditionExpression=condition,
                    ExpressionAttributeNames=_NAMES,
                    ExpressionAttributeValues=to_attributes(values | {":now": datetime.now(UTC).isoformat()}),
                    ReturnValues=return_values,
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return None
            raise
        return dict(response.get("Attributes", {}))
