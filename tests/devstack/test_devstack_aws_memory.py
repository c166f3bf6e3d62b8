"""The embedded AWS commits an import's chunks in memory that does not grow with the table.

Moto's rollback backup (a copy of the whole table and its stream per TransactWriteItems), which its instance
tracker then kept for good, made each committed line cost more memory the larger the table: 6,000 lines held 2.9 GB
(bench/local_import.py measures a 100,000-line import through the whole stack). Here the worker's own adapter
commits chunks of 25 lines into the template's items table while a stream reader follows, as the audit does.
"""

import gc
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from app.adapters.dynamodb_job_progress import DynamoDBJobProgress
from app.adapters.dynamodb_jobs import DynamoDBJobRecords
from app.adapters.job_attributes import IMPORT_PREFIX, job_key
from app.models.items import ItemPublic
from app.models.jobs import ImportJob, ImportProgress, JobStatus
from devstack.aws_server import start_aws
from devstack.provision import provision
from devstack.servers import HttpServer
from devstack.template import load_template

CHUNK = 25  # the worker's chunk
WARM_LINES = 2_000
LINES = 8_000
# Measured: about 5 KB of resident memory per committed line (the item and its stream record, both images); moto's
# rollback backups cost 170 KB per line at 2,000 lines and 1 MB per line at 8,000.
KB_PER_LINE = 20
SLACK_MB = 20  # allocator noise
pytestmark = pytest.mark.timeout(300)


def resident_mb() -> float:
    with open("/proc/self/status") as status:
        kilobytes = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kilobytes / 1024


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server: HttpServer = start_aws("127.0.0.1", 0)
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


class ImportAtMotoLevel:
    """An import's chunks committed by the worker's adapter, with a reader on the table's stream."""

    def __init__(self, endpoint: str) -> None:
        template = load_template()
        session = boto3.session.Session(
            region_name=template.region, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        self.table = provision(template, session=session, endpoint_url=endpoint)["ItemsTable"]
        self.dynamodb = session.client("dynamodb", endpoint_url=endpoint)
        self.streams = session.client("dynamodbstreams", endpoint_url=endpoint)
        now = datetime.now(UTC)
        self.job = ImportJob(
            owner="memory", import_id=uuid.uuid4().hex, status=JobStatus.PROCESSING, created_at=now, request_id="r"
        )
        records = DynamoDBJobRecords(client=self.dynamodb, table_name=self.table, retention=timedelta(days=1))
        records.add_import(self.job)
        self.dynamodb.update_item(
            TableName=self.table,
            Key=job_key(self.job.owner, IMPORT_PREFIX, self.job.import_id),
            UpdateExpression="SET #status = :processing",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":processing": {"S": JobStatus.PROCESSING}},
        )
        self.progress = DynamoDBJobProgress(client=self.dynamodb, table_name=self.table)
        self.iterator = self._stream_iterator()
        self.committed = 0

    def _stream_iterator(self) -> str:
        arn = self.dynamodb.describe_table(TableName=self.table)["Table"]["LatestStreamArn"]
        shard = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        answer = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")
        return str(answer["ShardIterator"])

    def commit(self, lines: int) -> None:
        now = datetime.now(UTC)
        for first in range(self.committed, self.committed + lines, CHUNK):
            items = [
                ItemPublic(id=f"{self.job.import_id}-{line}", name=f"item {line}", price=line % 100, version=1,
                           created_at=now, updated_at=now)
                for line in range(first, first + CHUNK)
            ]  # fmt: skip
            job = self.job.model_copy(update={"next_line": first + 1})
            progress = ImportProgress(
                next_line=first + CHUNK + 1, next_offset=0, imported=CHUNK, rejected=0, errors=(), finished=False
            )
            assert self.progress.commit_import_chunk(job, items, progress)
            self.iterator = self.streams.get_records(ShardIterator=self.iterator)["NextShardIterator"]
        self.committed += lines


def test_memory_per_committed_line_does_not_grow_with_the_table(endpoint: str) -> None:
    """Given 2,000 lines committed, when 6,000 more are committed, then each costs at most 20 KB of resident memory
    (checked every 1,000 lines, so that a regression fails in seconds, not after gigabytes)."""
    load = ImportAtMotoLevel(endpoint)
    started_mb = resident_mb()
    load.commit(WARM_LINES)
    gc.collect()
    warm_mb = resident_mb()

    while load.committed < LINES:
        load.commit(1_000)
        gc.collect()
        grown_mb = resident_mb() - warm_mb
        budget_mb = (load.committed - WARM_LINES) * KB_PER_LINE / 1024 + SLACK_MB
        assert grown_mb <= budget_mb, (
            f"{grown_mb:.0f} MB more at {load.committed} lines than at {WARM_LINES} (budget {budget_mb:.0f} MB); "
            f"the first {WARM_LINES} lines took {warm_mb - started_mb:.0f} MB"
        )
