"""The jobs worker: moves a job to PROCESSING, runs it, and marks it FAILED when it cannot succeed."""

from collections.abc import Callable
from typing import Protocol

from aws_lambda_powertools.metrics import MetricUnit

from app.domain.errors import ImportFileMissingError
from app.domain.job_messages import JobMessage
from app.domain.jobs import ExportRequested
from app.models.jobs import ExportJob, ImportJob
from app.observability import logger, metrics
from app.services.exports import ExportProcessor
from app.services.imports import ImportProcessor


class JobTransitions(Protocol):
    """Return None when there is nothing to do: unknown job, already COMPLETED, or another file version."""

    def start_import(self, *, owner: str, import_id: str, version_id: str | None) -> ImportJob | None: ...

    def fail_import(self, *, owner: str, import_id: str, reason: str) -> None: ...

    def start_export(self, *, owner: str, export_id: str) -> ExportJob | None: ...

    def fail_export(self, *, owner: str, export_id: str, reason: str) -> None: ...


class JobWorker:
    def __init__(self, *, transitions: JobTransitions, imports: ImportProcessor, exports: ExportProcessor) -> None:
        self._transitions = transitions
        self._imports = imports
        self._exports = exports

    def handle(self, message: JobMessage, *, remaining_ms: Callable[[], int], final_attempt: bool) -> None:
        """Runs one job message. Raises to have it redelivered; on the final attempt the job is FAILED first."""
        if message.request_id:
            logger.set_correlation_id(message.request_id)
        try:
            if isinstance(message, ExportRequested):
                self._export(message)
            else:
                self._import(message.owner, message.import_id, message.version_id, remaining_ms)
        except Exception:
            if final_attempt:
                # The message goes to the dead-letter queue next; FAILED tells the owner, and a redrive
                # after a fix resumes the job from its last committed position.
                self._fail(message, "The job failed repeatedly; operators have been alerted.")
            raise

    def _import(self, owner: str, import_id: str, version_id: str | None, remaining_ms: Callable[[], int]) -> None:
        job = self._transitions.start_import(owner=owner, import_id=import_id, version_id=version_id)
        if job is None:
            logger.info("import has nothing to do", extra={"importId": import_id, "versionId": version_id})
            return
        # S3 notifications cannot carry the request id of POST /imports; the job record has it.
        logger.set_correlation_id(job.request_id)
        logger.info("import running", extra={"importId": import_id, "fromLine": job.next_line})
        try:
            run = self._imports.run(job, remaining_ms=remaining_ms)
        except ImportFileMissingError as error:
            logger.warning("import file missing", extra={"importId": import_id})
            self._transitions.fail_import(owner=owner, import_id=import_id, reason=str(error))
            return
        done = run.job
        logger.info(
            "import stopped",
            extra={"importId": import_id, "outcome": run.outcome, "toLine": done.next_line - 1},
        )
        metrics.add_metric(name="ImportedItems", unit=MetricUnit.Count, value=done.imported - job.imported)
        metrics.add_metric(name="RejectedLines", unit=MetricUnit.Count, value=done.rejected - job.rejected)

    def _export(self, message: ExportRequested) -> None:
        job = self._transitions.start_export(owner=message.owner, export_id=message.export_id)
        if job is None:
            logger.info("export has nothing to do", extra={"exportId": message.export_id})
            return
        count = self._exports.run(job)
        logger.info("export completed", extra={"exportId": job.export_id, "itemCount": count})
        metrics.add_metric(name="ItemsExported", unit=MetricUnit.Count, value=count)

    def _fail(self, message: JobMessage, reason: str) -> None:
        if isinstance(message, ExportRequested):
            self._transitions.fail_export(owner=message.owner, export_id=message.export_id, reason=reason)
        else:
            self._transitions.fail_import(owner=message.owner, import_id=message.import_id, reason=reason)
