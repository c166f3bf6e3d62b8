"""Keys and attributes of job records in the items table, shared by the records and the progress writes."""

from datetime import datetime
from typing import Any

from app.adapters.items_table import OWNER_PREFIX, from_attributes, owner_key
from app.models.jobs import ExportCheckpoint, ExportJob, ImportJob, LineError

IMPORT_PREFIX = "IMPORT#"
EXPORT_PREFIX = "EXPORT#"


def job_key(owner: str, prefix: str, job_id: str) -> dict[str, Any]:
    return {"pk": {"S": owner_key(owner)}, "sk": {"S": prefix + job_id}}


def _deadline(values: dict[str, Any]) -> datetime | None:
    deadline = values.get("attemptDeadline")
    return None if deadline is None else datetime.fromisoformat(deadline)


def import_from(attributes: dict[str, Any]) -> ImportJob:
    values = from_attributes(attributes)
    return ImportJob(
        owner=values["pk"].removeprefix(OWNER_PREFIX),
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
        failure_reason=values.get("failureReason"),
        attempt_deadline=_deadline(values),
        generation=int(values.get("generation", 0)),
    )


def export_from(attributes: dict[str, Any]) -> ExportJob:
    values = from_attributes(attributes)
    count = values.get("itemCount")
    return ExportJob(
        owner=values["pk"].removeprefix(OWNER_PREFIX),
        export_id=values["sk"].removeprefix(EXPORT_PREFIX),
        status=values["status"],
        created_at=values["createdAt"],
        request_id=values["requestId"],
        item_count=None if count is None else int(count),
        failure_reason=values.get("failureReason"),
        attempt_deadline=_deadline(values),
        generation=int(values.get("generation", 0)),
        checkpoint=ExportCheckpoint(
            upload_id=values.get("uploadId"),
            etags=tuple(values.get("etags", ())),
            exported=int(values.get("exported", 0)),
            last_item_id=values.get("lastItemId"),
            sequence=int(values.get("checkpointSeq", 0)),
        ),
    )
