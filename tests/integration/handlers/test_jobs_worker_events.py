"""Every sample in events/jobs_worker/ (the files `sam local invoke JobsWorkerFunction -e` uses) goes through
the worker on moto and completes the job it names."""

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from app.adapters.dynamodb_jobs import DynamoDBJobRecords
from app.domain.job_messages import parse_job_messages
from app.domain.jobs import ExportRequested, ImportUploaded, import_key
from app.models.jobs import ExportJob, ImportJob, JobStatus
from devstack.names import Names
from tests.support.apigw import LambdaContext

EVENTS = Path(__file__).parents[3] / "events" / "jobs_worker"
SAMPLES = sorted(EVENTS.glob("*.json"))
CREATED = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def records_of(names: Names) -> DynamoDBJobRecords:
    return DynamoDBJobRecords(client=boto3.client("dynamodb"), table_name=names["ItemsTable"], retention=timedelta(1))


def existing_import(record: dict[str, Any], message: ImportUploaded, names: Names) -> Callable[[], JobStatus]:
    """The job POST /imports created, and the file uploaded with its presigned POST."""
    records = records_of(names)
    job = ImportJob(
        owner=message.owner, import_id=message.import_id, status=JobStatus.PENDING, created_at=CREATED, request_id="r"
    )
    records.add_import(job)
    uploaded = boto3.client("s3").put_object(
        Bucket=names["JobsBucket"], Key=import_key(message.owner, message.import_id), Body=b'{"name": "Lamp"}\n'
    )
    # The sample names a version S3 assigned in some account; here the version is the one moto just assigned.
    notification = json.loads(record["body"])
    notification["Records"][0]["s3"]["object"]["versionId"] = uploaded["VersionId"]
    record["body"] = json.dumps(notification)
    return lambda: records.get_import(owner=job.owner, import_id=job.import_id).status


def existing_export(record: dict[str, Any], message: ExportRequested, names: Names) -> Callable[[], JobStatus]:
    """The job POST /exports created before it sent the message."""
    records = records_of(names)
    job = ExportJob(
        owner=message.owner, export_id=message.export_id, status=JobStatus.PENDING, created_at=CREATED, request_id="r"
    )
    records.add_export(job)
    return lambda: records.get_export(owner=job.owner, export_id=job.export_id).status


def prepare(record: dict[str, Any], names: Names) -> list[Callable[[], JobStatus]]:
    statuses = []
    for message in parse_job_messages(record["body"]):
        if isinstance(message, ExportRequested):
            statuses.append(existing_export(record, message, names))
        elif isinstance(message, ImportUploaded):
            statuses.append(existing_import(record, message, names))
        else:  # the samples are what S3 and POST /exports send; continuations are the worker's own
            raise AssertionError(f"no sample should carry {message.kind}")
    return statuses


@pytest.mark.parametrize("sample", SAMPLES, ids=[path.stem for path in SAMPLES])
def test_sample_event_completes_its_job(sample: Path, jobs_worker: Callable[..., Any], names: Names) -> None:
    event = json.loads(sample.read_text())
    statuses = [status for record in event["Records"] for status in prepare(record, names)]

    response = jobs_worker(event, LambdaContext(function_name="JobsWorkerFunction", timeout_ms=120_000))

    assert response == {"batchItemFailures": []}
    assert statuses
    assert [status() for status in statuses] == [JobStatus.COMPLETED] * len(statuses)


def test_both_kinds_of_message_have_a_sample() -> None:
    kinds = {
        type(message)
        for sample in SAMPLES
        for record in json.loads(sample.read_text())["Records"]
        for message in parse_job_messages(record["body"])
    }

    assert kinds == {ImportUploaded, ExportRequested}
