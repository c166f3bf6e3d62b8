"""Entry point of the jobs worker, fed by two queues: imports (S3 notifications, continuations) and exports.

Each message is one record of a Powertools BatchProcessor: a failed message is reported by its id
(ReportBatchItemFailures), so only it comes back after the visibility timeout, and after maxReceiveCount
receives SQS moves it to the queue's dead-letter queue.
"""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from app.domain.job_messages import parse_job_messages
from app.handlers import init_complete
from app.job_settings import get_jobs_worker_settings
from app.observability import entry_point, logger
from app.wiring import job_worker

processor = BatchProcessor(event_type=EventType.SQS)

# Cold start: settings are read (a missing one fails here, loudly) and the clients are created once.
job_worker()
init_complete()


def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
    final_attempt = int(record.attributes.approximate_receive_count) >= get_jobs_worker_settings().max_receive_count
    try:
        for message in parse_job_messages(record.body):
            job_worker().handle(
                message, remaining_ms=lambda_context.get_remaining_time_in_millis, final_attempt=final_attempt
            )
    except Exception:
        logger.exception("job message failed", extra={"messageId": record.message_id, "finalAttempt": final_attempt})
        raise
    finally:
        # The next message of the batch belongs to another job, started by another request.
        logger.remove_keys(["correlation_id"])


@entry_point()
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
