"""Configuration of the jobs functions (the import/export routes and the queue worker), read once at cold start.

Apart from app.settings so that no other function creates these classes at cold start (see app.settings).
"""

import os
from collections.abc import Mapping
from functools import cache
from typing import NamedTuple, Self

from app.settings import EnvironmentReader

_MAX_UPLOAD_BYTES = 5 * 1024**3  # S3's single-request upload limit: the presigned POST policy's upper bound


class JobsApiSettings(NamedTuple):
    """The import/export routes (JobsFunction only: the other API functions never read it)."""

    jobs_bucket_name: str
    export_queue_url: str
    import_max_bytes: int
    job_retention_days: int

    @classmethod
    def read(cls, environ: Mapping[str, str]) -> Self:
        env = EnvironmentReader(environ)
        return env.checked(
            cls(
                jobs_bucket_name=env.text("JOBS_BUCKET_NAME"),
                export_queue_url=env.text("EXPORT_QUEUE_URL"),
                import_max_bytes=env.integer("IMPORT_MAX_BYTES", maximum=_MAX_UPLOAD_BYTES),
                job_retention_days=env.integer("JOB_RETENTION_DAYS"),
            )
        )


class JobsWorkerSettings(NamedTuple):
    """The queue worker that runs imports and exports."""

    items_table_name: str
    jobs_bucket_name: str
    import_queue_url: str
    export_queue_url: str  # for the exports' continuations
    # The worker checks an uploaded file's size itself before reading it.
    import_max_bytes: int
    # The queues' maxReceiveCount: the attempt that sees it marks the job FAILED before the DLQ takes it.
    max_receive_count: int

    @classmethod
    def read(cls, environ: Mapping[str, str]) -> Self:
        env = EnvironmentReader(environ)
        return env.checked(
            cls(
                items_table_name=env.text("ITEMS_TABLE_NAME"),
                jobs_bucket_name=env.text("JOBS_BUCKET_NAME"),
                import_queue_url=env.text("IMPORT_QUEUE_URL"),
                export_queue_url=env.text("EXPORT_QUEUE_URL"),
                import_max_bytes=env.integer("IMPORT_MAX_BYTES", maximum=_MAX_UPLOAD_BYTES),
                max_receive_count=env.integer("JOB_MAX_RECEIVE_COUNT"),
            )
        )


@cache
def get_jobs_api_settings() -> JobsApiSettings:
    return JobsApiSettings.read(os.environ)


@cache
def get_jobs_worker_settings() -> JobsWorkerSettings:
    return JobsWorkerSettings.read(os.environ)
