"""Entry point of the audit function: one audit entry per change of any registered resource on the table's stream.

A record that fails is reported by its SequenceNumber (ReportBatchItemFailures): Lambda retries the batch from the
first failed record on, bisecting it, and after the last attempt sends the records' coordinates to the on-failure
queue. Records after a failed one therefore arrive again; writing a record a second time is a no-op.
"""

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from app.adapters.resource_stream import Skipped, read_change
from app.handlers import init_complete
from app.observability import entry_point, logger, metrics
from app.wiring import audit_recorder

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)

# Cold start: settings are read (a missing one fails here, loudly) and the client is created once.
audit_recorder()
init_complete()


# Records of an entity no ResourceKind registers: skipped (the stream must move on), but counted and logged.
UNKNOWN_ENTITY_SKIPPED = "UnknownEntitySkipped"


def record_handler(record: DynamoDBRecord) -> None:
    change = read_change(record.raw_event)
    if isinstance(change, Skipped):
        if not change.known:
            logger.warning("Stream record of an unregistered entity skipped", extra={"entity": change.entity})
            metrics.add_metric(name=UNKNOWN_ENTITY_SKIPPED, unit=MetricUnit.Count, value=1)
        return  # a job, a tombstone or a creation record: nothing to audit
    audit_recorder().record(change)
    metrics.add_metric(name=f"{change.kind.entity}ChangeAudited", unit=MetricUnit.Count, value=1)


@entry_point()
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
