"""Builds the adapters and services of each function once per container. The only place that knows concrete adapters."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from app.adapters.aws import WORKER_CLIENT_CONFIG, client, read_timeout_ms, s3_client, worst_case_call_ms
from app.adapters.dynamodb_audit import DynamoDBAuditLog
from app.adapters.dynamodb_items import DynamoDBItemRepository
from app.adapters.dynamodb_jobs import DynamoDBJobRecords
from app.adapters.idempotency import IdempotentCreates
from app.adapters.s3_presign import S3FileTransfers
from app.adapters.secrets import SecretsManagerKey
from app.adapters.sqs_messages import SqsJobMessages
from app.domain.cursors import CursorCodec
from app.services.history import AuditRecorder, HistoryService
from app.services.items import IdempotentItemCreates, ItemService
from app.services.jobs import JobService
from app.settings import (
    AuditSettings,
    JobsApiSettings,
    JobsWorkerSettings,
    Settings,
    get_audit_settings,
    get_jobs_api_settings,
    get_jobs_worker_settings,
    get_settings,
)

if TYPE_CHECKING:
    from app.services.worker import JobWorker


@dataclass(frozen=True)
class ApiServices:
    items: ItemService
    idempotent_creates: IdempotentItemCreates
    history: HistoryService
    # Built by the first import/export request: only JobsFunction has the jobs settings, and no other route
    # should pay for S3 and SQS clients at cold start.
    jobs: Callable[[], JobService]


def build_api_services(*, settings: Settings, dynamodb: Any) -> ApiServices:
    cursors = CursorCodec(SecretsManagerKey(secret_arn=settings.cursor_secret_arn))
    items = ItemService(
        repository=DynamoDBItemRepository(client=dynamodb, table_name=settings.items_table_name),
        cursors=cursors,
    )
    creates = IdempotentCreates(
        client=dynamodb, table_name=settings.idempotency_table_name, create_item=items.create_item
    )
    history = HistoryService(
        log=DynamoDBAuditLog(client=dynamodb, table_name=settings.audit_table_name), cursors=cursors
    )
    return ApiServices(items=items, idempotent_creates=creates, history=history, jobs=jobs_service)


@cache
def api_services() -> ApiServices:
    return build_api_services(settings=get_settings(), dynamodb=client("dynamodb"))


def build_audit_recorder(*, settings: AuditSettings, dynamodb: Any) -> AuditRecorder:
    return AuditRecorder(
        log=DynamoDBAuditLog(client=dynamodb, table_name=settings.audit_table_name),
        retention=timedelta(days=settings.audit_retention_days),
    )


@cache
def audit_recorder() -> AuditRecorder:
    return build_audit_recorder(settings=get_audit_settings(), dynamodb=client("dynamodb"))


def build_jobs_service(
    *, settings: JobsApiSettings, items_table_name: str, dynamodb: Any, s3: Any, sqs: Any
) -> JobService:
    return JobService(
        records=DynamoDBJobRecords(
            client=dynamodb, table_name=items_table_name, retention=timedelta(days=settings.job_retention_days)
        ),
        files=S3FileTransfers(client=s3, bucket=settings.jobs_bucket_name),
        export_requests=SqsJobMessages(client=sqs, queue_url=settings.export_queue_url),
        import_max_bytes=settings.import_max_bytes,
    )


@cache
def jobs_service() -> JobService:
    return build_jobs_service(
        settings=get_jobs_api_settings(),
        items_table_name=get_settings().items_table_name,
        dynamodb=client("dynamodb"),
        s3=s3_client(),
        sqs=client("sqs"),
    )


@dataclass(frozen=True)
class TimeReserves:
    """How much time a job run keeps when it decides to go on: enough for the worst case of every call that can
    follow its time check, each with all its retries and timeouts, so that Lambda never kills it mid-way."""

    import_ms: int
    export_ms: int


def time_reserves(*, dynamodb: Any, s3: Any, sqs: Any) -> TimeReserves:
    # Derived from the clients' configuration: changing a timeout or the retries changes the reserve.
    write, upload, send = worst_case_call_ms(dynamodb), worst_case_call_ms(s3), worst_case_call_ms(sqs)
    # Import, after a commit: read the next chunk (one stalled read of the file), commit it (one
    # TransactWriteItems), then hand over (SendMessage, and on a final attempt an UpdateItem).
    import_ms = read_timeout_ms(s3) + write + send + write
    # Export, before an item: the next Query page, a part's UploadPart and its checkpoint, then hand over (as an
    # import); or at the end of the query, the last UploadPart, CompleteMultipartUpload and the job's UpdateItem.
    export_ms = max(write + upload + write + send + write, upload + upload + write)
    return TimeReserves(import_ms=import_ms, export_ms=export_ms)


def build_job_worker(*, settings: JobsWorkerSettings, dynamodb: Any, s3: Any, sqs: Any) -> "JobWorker":
    # Imported here: the API functions load this module too, and never run a job.
    from app.adapters.dynamodb_bulk_items import DynamoDBBulkItems
    from app.adapters.dynamodb_job_progress import DynamoDBJobProgress
    from app.adapters.s3_streams import S3ExportFiles, S3ImportFiles
    from app.services.exports import ExportProcessor
    from app.services.imports import ImportProcessor
    from app.services.worker import JobWorker

    # The worker only moves existing jobs along, so the records' retention is never used here.
    records = DynamoDBJobRecords(client=dynamodb, table_name=settings.items_table_name, retention=timedelta())
    progress = DynamoDBJobProgress(client=dynamodb, table_name=settings.items_table_name)
    reserves = time_reserves(dynamodb=dynamodb, s3=s3, sqs=sqs)
    imports = ImportProcessor(
        records=progress,
        hand_overs=records,
        files=S3ImportFiles(client=s3, bucket=settings.jobs_bucket_name),
        continuations=SqsJobMessages(client=sqs, queue_url=settings.import_queue_url),
        min_remaining_ms=reserves.import_ms,
        max_bytes=settings.import_max_bytes,
    )
    exports = ExportProcessor(
        progress=progress,
        records=records,
        items=DynamoDBBulkItems(client=dynamodb, table_name=settings.items_table_name),
        files=S3ExportFiles(client=s3, bucket=settings.jobs_bucket_name),
        continuations=SqsJobMessages(client=sqs, queue_url=settings.export_queue_url),
        min_remaining_ms=reserves.export_ms,
    )
    return JobWorker(transitions=records, imports=imports, exports=exports)


@cache
def job_worker() -> "JobWorker":
    return build_job_worker(
        settings=get_jobs_worker_settings(),
        dynamodb=client("dynamodb", WORKER_CLIENT_CONFIG),
        s3=s3_client(),
        sqs=client("sqs"),
    )
