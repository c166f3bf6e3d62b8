"""The jobs worker: moves a job to PROCESSING, runs it, and marks it FAILED when it cannot succeed.

No job stays PROCESSING: a job that cannot finish (its file is gone or too large, its export too large) is
FAILED at once with the reason; the final attempt of a message (ApproximateReceiveCount = the queue's
maxReceiveCount) marks the job FAILED when it raises, and records its own deadline in the job first, so that a
run killed at its timeout (which runs no except or finally) leaves a job that reads FAILED once that deadline
has passed. The message is in the dead-letter queue by then, and a redrive resumes the job.

A delivery that lost the race to another run of the same job (SUPERSEDED) is not an error. Its message cannot
simply be deleted: both deliveries are one SQS message, and the winner may still be killed, leaving nothing to
resume the job. Nor can it be kept as a batch item failure: a batch of only such failures fails the invocation
(Lambda's Errors metric, the canary's rollback alarm), and every receive counts towards the dead-letter queue.
So the loser sends a copy of its message, delayed past any run of the winner (SUPERSEDED_DELAY_SECONDS), and
succeeds: the copy starts with a receive count of zero, and when it arrives it finds the job COMPLETED, or stale
(the winner handed over to a continuation), and is deleted, or resumes what a killed winner left. It never fails
the job, not even on its final attempt: another run was progressing it. If the copy cannot be sent, the delivery
fails and its message comes back after the visibility timeout, as any failed one.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol, TypeIs

from aws_lambda_powertools.metrics import MetricUnit

from app.domain.clock import utc_now
from app.domain.errors import JobCannotFinishError
from app.domain.job_messages import JobMessage
from app.domain.jobs import ExportContinued, ExportRequested, ImportContinued, ImportUploaded, QueueMessage
from app.models.jobs import ExportJob, ImportJob
from app.observability import logger, metrics
from app.services.exports import ExportOutcome, ExportProcessor
from app.services.imports import ImportOutcome, ImportProcessor

FINAL_ATTEMPT_FAILED = "The job failed repeatedly and was given up; operators have been alerted."
# SQS's longest delay, and Lambda's longest timeout: whatever run won the race is over when the copy arrives.
SUPERSEDED_DELAY_SECONDS = 900


def is_export(message: JobMessage) -> TypeIs[ExportRequested | ExportContinued]:
    return isinstance(message, ExportRequested | ExportContinued)


class JobSupersededError(Exception):
    """Another run of the job committed first: this delivery defers its message until that run is over."""


class JobQueue(Protocol):
    def send(self, message: QueueMessage, *, delay_seconds: int = 0) -> None: ...


class JobTransitions(Protocol):
    """Return None when there is nothing to do: unknown job, already COMPLETED, another file version, or a stale
    message (its generation is below the job's: a newer continuation carries the job)."""

    def start_import(
        self, *, owner: str, import_id: str, version_id: str | None, deadline: datetime | None, generation: int
    ) -> ImportJob | None: ...

    def fail_import(self, *, owner: str, import_id: str, reason: str) -> None: ...

    def start_export(
        self, *, owner: str, export_id: str, deadline: datetime | None, generation: int
    ) -> ExportJob | None: ...

    def fail_export(self, *, owner: str, export_id: str, reason: str) -> ExportJob | None: ...


class JobWorker:
    def __init__(
        self,
        *,
        transitions: JobTransitions,
        imports: ImportProcessor,
        exports: ExportProcessor,
        import_queue: JobQueue,
        export_queue: JobQueue,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._transitions = transitions
        self._imports = imports
        self._exports = exports
        self._queues = {"import": import_queue, "export": export_queue}
        self._clock = clock

    def handle(self, message: JobMessage, *, remaining_ms: Callable[[], int], final_attempt: bool) -> None:
        """Runs one job message. Raises to have it redelivered; on the final attempt the job is FAILED first.
        A delivery another run superseded is deferred (a delayed copy of the message) and returns normally."""
        if message.request_id:
            logger.set_correlation_id(message.request_id)
        # The time by which Lambda ends this run, whatever happens in it.
        deadline = self._clock() + timedelta(milliseconds=remaining_ms()) if final_attempt else None
        try:
            if is_export(message):
                self._export(message, remaining_ms, deadline)
            else:
                self._import(message, remaining_ms, deadline)
        except JobSupersededError:
            self._defer(message)
        except Exception:
            if final_attempt:
                # The message goes to the dead-letter queue next; FAILED tells the owner, and a redrive
                # after a fix resumes the job from its last committed position.
                self._fail(message, FINAL_ATTEMPT_FAILED)
            raise

    def _import(
        self, message: ImportUploaded | ImportContinued, remaining_ms: Callable[[], int], deadline: datetime | None
    ) -> None:
        owner, import_id, version_id = message.owner, message.import_id, message.version_id
        job = self._transitions.start_import(
            owner=owner, import_id=import_id, version_id=version_id, deadline=deadline, generation=message.generation
        )
        if job is None:
            logger.info("import has nothing to do", extra={"importId": import_id, "versionId": version_id})
            return
        # S3 notifications cannot carry the request id of POST /imports; the job record has it.
        logger.set_correlation_id(job.request_id)
        logger.info("import running", extra={"importId": import_id, "fromLine": job.next_line})
        try:
            run = self._imports.run(job, remaining_ms=remaining_ms)
        except JobCannotFinishError as error:
            logger.warning("import cannot finish", extra={"importId": import_id, "reason": str(error)})
            self._transitions.fail_import(owner=owner, import_id=import_id, reason=str(error))
            return
        done = run.job
        logger.info(
            "import stopped",
            extra={"importId": import_id, "outcome": run.outcome, "toLine": done.next_line - 1},
        )
        metrics.add_metric(name="ImportedItems", unit=MetricUnit.Count, value=done.imported - job.imported)
        metrics.add_metric(name="RejectedLines", unit=MetricUnit.Count, value=done.rejected - job.rejected)
        if run.outcome == ImportOutcome.SUPERSEDED:
            raise JobSupersededError(import_id)

    def _export(
        self, message: ExportRequested | ExportContinued, remaining_ms: Callable[[], int], deadline: datetime | None
    ) -> None:
        job = self._transitions.start_export(
            owner=message.owner, export_id=message.export_id, deadline=deadline, generation=message.generation
        )
        if job is None:
            logger.info("export has nothing to do", extra={"exportId": message.export_id})
            return
        logger.info("export running", extra={"exportId": job.export_id, "fromItem": job.checkpoint.exported})
        try:
            run = self._exports.run(job, remaining_ms=remaining_ms)
        except JobCannotFinishError as error:
            logger.warning("export cannot finish", extra={"exportId": job.export_id, "reason": str(error)})
            self._fail(message, str(error))
            return
        logger.info("export stopped", extra={"exportId": job.export_id, "outcome": run.outcome})
        metrics.add_metric(name="ItemsExported", unit=MetricUnit.Count, value=run.exported - job.checkpoint.exported)
        if run.outcome == ExportOutcome.SUPERSEDED:
            raise JobSupersededError(job.export_id)

    def _defer(self, message: JobMessage) -> None:
        self._queues["export" if is_export(message) else "import"].send(message, delay_seconds=SUPERSEDED_DELAY_SECONDS)
        logger.info("job message deferred: another run holds the job", extra={"kind": message.kind})
        metrics.add_metric(name="SupersededDeliveries", unit=MetricUnit.Count, value=1)

    def _fail(self, message: JobMessage, reason: str) -> None:
        if is_export(message):
            failed = self._transitions.fail_export(owner=message.owner, export_id=message.export_id, reason=reason)
            if failed is not None:
                self._exports.abandon(failed)
        else:
            self._transitions.fail_import(owner=message.owner, import_id=message.import_id, reason=reason)
