"""Import files read from any offset and exports written in parts, against S3 on moto."""

from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders

from app.adapters.s3_streams import PART_BYTES, S3ExportFiles, S3ImportFiles
from app.domain.errors import ImportFileMissingError
from devstack.names import Names


@pytest.fixture
def s3(names: Names) -> Any:
    return boto3.client("s3")


def test_a_file_reads_from_an_offset_and_from_its_end(s3: Any, names: Names) -> None:
    bucket = names["JobsBucket"]
    version = s3.put_object(Bucket=bucket, Key="imports/a/x.jsonl", Body=b"0123456789")["VersionId"]
    files = S3ImportFiles(client=s3, bucket=bucket)

    assert b"".join(files.read(key="imports/a/x.jsonl", version_id=version, offset=4)) == b"456789"
    assert b"".join(files.read(key="imports/a/x.jsonl", version_id=version, offset=10)) == b""


def test_a_file_read_sticks_to_its_version(s3: Any, names: Names) -> None:
    bucket = names["JobsBucket"]
    first = s3.put_object(Bucket=bucket, Key="imports/a/x.jsonl", Body=b"first")["VersionId"]
    s3.put_object(Bucket=bucket, Key="imports/a/x.jsonl", Body=b"second")

    assert (
        b"".join(S3ImportFiles(client=s3, bucket=bucket).read(key="imports/a/x.jsonl", version_id=first, offset=0))
        == b"first"
    )


def test_a_missing_file_is_a_domain_error(s3: Any, names: Names) -> None:
    files = S3ImportFiles(client=s3, bucket=names["JobsBucket"])

    with pytest.raises(ImportFileMissingError):
        list(files.read(key="imports/a/gone.jsonl", version_id=None, offset=0))


def test_a_missing_file_answered_with_access_denied_is_missing_too(s3: Any, names: Names) -> None:
    # What S3 answers a role without s3:ListBucket (the worker's) for a key that does not exist.
    def access_denied(**_: Any) -> AWSResponse:
        body = b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
        return AWSResponse("https://s3.amazonaws.com", 403, HTTPHeaders(), _RawBody(body))

    s3.meta.events.register("before-send.s3.GetObject", access_denied)
    files = S3ImportFiles(client=s3, bucket=names["JobsBucket"])

    with pytest.raises(ImportFileMissingError):
        list(files.read(key="imports/a/gone.jsonl", version_id="v1", offset=0))


class _RawBody:
    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **_: Any) -> Any:
        yield self._content


@pytest.mark.parametrize("size", [0, 100, PART_BYTES + 1, 2 * PART_BYTES + 12345])
def test_an_upload_of_any_size_arrives_whole(s3: Any, names: Names, size: int) -> None:
    bucket = names["JobsBucket"]
    data = bytes(index % 251 for index in range(size))
    upload = S3ExportFiles(client=s3, bucket=bucket).open_upload(key="exports/a/x.jsonl", upload_id=None, etags=())

    for start in range(0, size, 1_000_003):
        upload.write(data[start : start + 1_000_003])
    upload.complete()

    stored = s3.get_object(Bucket=bucket, Key="exports/a/x.jsonl")
    assert stored["Body"].read() == data
    assert stored["ContentType"] == "application/x-ndjson"


def test_an_upload_resumes_from_its_checkpointed_parts(s3: Any, names: Names) -> None:
    bucket, files = names["JobsBucket"], S3ExportFiles(client=s3, bucket=names["JobsBucket"])
    first = files.open_upload(key="exports/a/x.jsonl", upload_id=None, etags=())
    assert first.write(b"a" * PART_BYTES)  # a part, uploaded: what a checkpoint saves

    resumed = files.open_upload(key="exports/a/x.jsonl", upload_id=first.upload_id, etags=first.etags)
    assert not resumed.write(b"b" * 10)
    resumed.complete()

    assert s3.get_object(Bucket=bucket, Key="exports/a/x.jsonl")["Body"].read() == b"a" * PART_BYTES + b"b" * 10


def test_an_aborted_upload_leaves_nothing(s3: Any, names: Names) -> None:
    bucket, files = names["JobsBucket"], S3ExportFiles(client=s3, bucket=names["JobsBucket"])
    upload = files.open_upload(key="exports/a/x.jsonl", upload_id=None, etags=())
    upload.write(b"x" * (PART_BYTES + 1))
    assert upload.upload_id is not None

    files.abort_upload(key="exports/a/x.jsonl", upload_id=upload.upload_id)

    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix="exports/")
