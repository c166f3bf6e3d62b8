"""What a job record looks like in the items table: the audit stream and TTL depend on it."""

from datetime import UTC, datetime, timedelta
from typing import Any

from app.adapters.dynamodb_jobs import DynamoDBJobRecords
from app.domain.ids import new_item_id
from app.models.jobs import ImportJob, JobStatus
from devstack.names import Names

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_a_job_record_sits_in_its_owners_partition_with_entity_and_ttl(names: Names, dynamodb: Any) -> None:
    records = DynamoDBJobRecords(client=dynamodb, table_name=names["ItemsTable"], retention=timedelta(days=7))
    job = ImportJob(owner="alice", import_id=new_item_id(), status=JobStatus.PENDING, created_at=NOW, request_id="r")

    records.add_import(job)

    stored = dynamodb.get_item(
        TableName=names["ItemsTable"], Key={"pk": {"S": "OWNER#alice"}, "sk": {"S": f"IMPORT#{job.import_id}"}}
    )["Item"]
    assert stored["entity"] == {"S": "Import"}
    assert stored["expiresAt"] == {"N": str(int((NOW + timedelta(days=7)).timestamp()))}
    assert stored["requestId"] == {"S": "r"}
