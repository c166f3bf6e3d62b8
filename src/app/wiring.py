"""Builds the adapters and services of each function once per container. The only place that knows concrete adapters.

Adapters, services and the settings of the audit and jobs functions are imported by the builder that needs them:
every function loads this module, and each should load only its own adapters, models and settings (the audit
function no item models, the API no job worker).
"""

from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from app.adapters.aws import WORKER_CLIENT_CONFIG, client, s3_client
from app.settings import Settings, get_settings

if TYPE_CHECKING:
    from app.audit_settings import AuditSettings
    from app.job_settings import JobsApiSettings, JobsWorkerSettings
    from app.services.audit import AuditRecorder
    from app.services.history import HistoryService
    from app.services.items import IdempotentItemCreates, ItemRepository, ItemService
    from app.services.jobs import JobService
    from app.services.worker import JobWorker
    # make resource: service imports above


class ApiServices:
    """The API's services, each built on first use: a function's cold start builds those of its routers
    (ROUTER_SERVICES), so the jobs function never loads the item adapters and the item functions no jobs."""

    def __init__(
        self,
        *,
        items: Callable[[], "ItemService"],
        idempotent_creates: Callable[[], "IdempotentItemCreates"],
        history: Callable[[], "HistoryService"],
        jobs: Callable[[], "JobService"],
        # make resource: service parameters above
    ) -> None:
        self._items, self._idempotent_creates, self._history, self._jobs = items, idempotent_creates, history, jobs
        # make resource: service builders above

    @cached_property
    def items(self) -> "ItemService":
        return self._items()

    @cached_property
    def idempotent_creates(self) -> "IdempotentItemCreates":
        return self._idempotent_creates()

    @cached_property
    def history(self) -> "HistoryService":
        return self._history()

    @cached_property
    def jobs(self) -> "JobService":
        return self._jobs()

    # make resource: service properties above

    def build_for(self, routers: Iterable[str]) -> None:
        """Builds the services these routers use (at cold start, with their clients)."""
        for router in routers:
            for service in ROUTER_SERVICES[router]:
                getattr(self, service)


# What each router of app.api uses (tests/static checks it against the routers' code).
ROUTER_SERVICES: dict[str, tuple[str, ...]] = {
    "health": (),
    "items": ("items", "idempotent_creates"),
    "history": ("history",),
    "jobs": ("jobs",),
    # make resource: router services above
}


def build_api_services(*, settings: Settings, dynamodb: Any) -> ApiServices:
    from app.adapters.secrets import SecretsManagerKey
    from app.domain.cursors import CursorCodec

    cursors = cache(lambda: CursorCodec(SecretsManagerKey(secret_arn=settings.cursor_secret_arn)))

    def item_repository() -> "ItemRepository":
        from app.adapters.dynamodb_items import DynamoDBItemRepository

        return DynamoDBItemRepository(client=dynamodb, table_name=settings.items_table_name)

    def items() -> "ItemService":
        from app.services.items import ItemService

        return ItemService(repository=item_repository(), cursors=cursors())

    def idempotent_creates() -> "IdempotentItemCreates":
        from app.adapters.idempotency import IdempotentCreates

        return IdempotentCreates(
            client=dynamodb, table_name=settings.idempotency_table_name, create_item=services.items.create_item
        )

    def history() -> "HistoryService":
        from app.adapters.dynamodb_audit import DynamoDBAuditLog
        from app.services.history import HistoryService

        log = DynamoDBAuditLog(client=dynamodb, table_name=settings.audit_table_name)
        return HistoryService(log=log, items=item_repository(), cursors=cursors())

    def jobs() -> "JobService":
        from app.job_settings import get_jobs_api_settings

        return build_jobs_service(
            settings=get_jobs_api_settings(),
            items_table_name=settings.items_table_name,
            dynamodb=dynamodb,
            make_s3=cache(s3_client),
            sqs=client("sqs"),
        )

    # make resource: service factories above

    services = ApiServices(
        items=items,
        idempotent_creates=idempotent_creates,
        history=history,
        jobs=jobs,
        # make resource: services above
    )
    return services


@cache
def api_services() -> ApiServices:
    return build_api_services(settings=get_settings(), dynamodb=client("dynamodb"))


def build_audit_recorder(*, settings: "AuditSettings", dynamodb: Any) -> "AuditRecorder":
    from app.adapters.dynamodb_audit import DynamoDBAuditLog
    from app.services.audit import AuditRecorder

    return AuditRecorder(
        log=DynamoDBAuditLog(client=dynamodb, table_name=settings.audit_table_name),
        retention=timedelta(days=settings.audit_retention_days),
    )


@cache
def audit_recorder() -> "AuditRecorder":
    from app.audit_settings import get_audit_settings

    return build_audit_recorder(settings=get_audit_settings(), dynamodb=client("dynamodb"))


def build_jobs_service(
    *, settings: "JobsApiSettings", items_table_name: str, dynamodb: Any, make_s3: Callable[[], Any], sqs: Any
) -> "JobService":
    """`make_s3` makes the S3 client on first use: only the requests that sign a URL (POST /imports, GET /exports/{id}
    once completed) need it, and it is the costliest client to create (about a sixth of a bare boto3 client)."""
    from app.adapters.dynamodb_jobs import DynamoDBJobRecords
    from app.adapters.s3_presign import S3FileTransfers
    from app.adapters.sqs_messages import SqsJobMessages
    from app.services.jobs import JobService

    return JobService(
        records=DynamoDBJobRecords(
            client=dynamodb, table_name=items_table_name, retention=timedelta(days=settings.job_retention_days)
        ),
        files=S3FileTransfers(make_client=make_s3, bucket=settings.jobs_bucket_name),
        export_requests=SqsJobMessages(client=sqs, queue_url=settings.export_queue_url),
        import_max_bytes=settings.import_max_bytes,
    )


def build_job_worker(*, settings: "JobsWorkerSettings", dynamodb: Any, s3: Any, sqs: Any) -> "JobWorker":
    from app.adapters.dynamodb_bulk_items import DynamoDBBulkItems
    from app.adapters.dynamodb_job_progress import DynamoDBJobProgress
    from app.adapters.dynamodb_jobs import DynamoDBJobRecords
    from app.adapters.s3_streams import S3ExportFiles, S3ImportFiles
    from app.adapters.sqs_messages import SqsJobMessages
    from app.adapters.time_reserves import time_reserves
    from app.services.exports import ExportProcessor
    from app.services.imports import ImportProcessor
    from app.services.worker import JobWorker

    # The worker only moves existing jobs along, so the records' retention is never used here.
    records = DynamoDBJobRecords(client=dynamodb, table_name=settings.items_table_name, retention=timedelta())
    progress = DynamoDBJobProgress(client=dynamodb, table_name=settings.items_table_name)
    reserves = time_reserves(dynamodb=dynamodb, s3=s3, sqs=sqs)
    import_queue = SqsJobMessages(client=sqs, queue_url=settings.import_queue_url)
    export_queue = SqsJobMessages(client=sqs, queue_url=settings.export_queue_url)
    imports = ImportProcessor(
        records=progress,
        hand_overs=records,
        files=S3ImportFiles(client=s3, bucket=settings.jobs_bucket_name),
        continuations=import_queue,
        min_remaining_ms=reserves.import_ms,
        max_bytes=settings.import_max_bytes,
    )
    exports = ExportProcessor(
        progress=progress,
        records=records,
        items=DynamoDBBulkItems(client=dynamodb, table_name=settings.items_table_name),
        files=S3ExportFiles(client=s3, bucket=settings.jobs_bucket_name),
        continuations=export_queue,
        min_remaining_ms=reserves.export_ms,
    )
    return JobWorker(
        transitions=records, imports=imports, exports=exports, import_queue=import_queue, export_queue=export_queue
    )


@cache
def job_worker() -> "JobWorker":
    from app.job_settings import get_jobs_worker_settings

    return build_job_worker(
        settings=get_jobs_worker_settings(),
        dynamodb=client("dynamodb", WORKER_CLIENT_CONFIG),
        s3=s3_client(),
        sqs=client("sqs"),
    )
