"""What IAM authorizes a request against (devstack/iam/calls.py, s3calls.py): per item for batches and
transactions, per object for S3, the signer of a presigned form upload."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from devstack.iam.calls import Call, Request, UnmappedCallError, dynamodb_calls, sqs_calls
from devstack.iam.s3calls import form_upload_key, s3_calls

TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/"


def request(
    service: str,
    *,
    method: str = "POST",
    path: str = "/",
    body: Mapping[str, object] | bytes = b"",
    headers: dict[str, str] | None = None,
    query: dict[str, list[str]] | None = None,
) -> Request:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Request(method, path, query or {}, headers or {}, raw, service, "us-east-1")


def target(operation: str, prefix: str = "DynamoDB_20120810") -> dict[str, str]:
    return {"x-amz-target": f"{prefix}.{operation}"}


def test_a_transaction_needs_each_items_own_action_on_its_table() -> None:
    items = [
        {"Put": {"TableName": "items"}},
        {"Update": {"TableName": "items"}},
        {"ConditionCheck": {"TableName": "jobs"}},
    ]
    calls = dynamodb_calls(request("dynamodb", body={"TransactItems": items}, headers=target("TransactWriteItems")))

    assert calls == [
        Call("dynamodb:PutItem", TABLE + "items"),
        Call("dynamodb:UpdateItem", TABLE + "items"),
        Call("dynamodb:ConditionCheckItem", TABLE + "jobs"),
    ]


def test_a_query_on_an_index_is_authorized_on_the_index() -> None:
    body = {"TableName": "items", "IndexName": "byName"}

    assert dynamodb_calls(request("dynamodb", body=body, headers=target("Query"))) == [
        Call("dynamodb:Query", TABLE + "items/index/byName")
    ]


def test_sqs_batches_need_the_single_action_on_the_queue_of_the_url() -> None:
    body = {"QueueUrl": "http://127.0.0.1:5000/123456789012/jobs", "Entries": []}
    calls = sqs_calls(request("sqs", body=body, headers=target("SendMessageBatch", "AmazonSQS")))

    assert calls == [Call("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:jobs")]


@pytest.mark.parametrize(
    ("method", "path", "query", "expected"),
    [
        ("GET", "/bucket/exports/a.jsonl", {}, "s3:GetObject"),
        ("HEAD", "/bucket/imports/a.jsonl", {"versionId": ["3"]}, "s3:GetObjectVersion"),
        ("PUT", "/bucket/exports/a.jsonl", {"uploadId": ["u"], "partNumber": ["1"]}, "s3:PutObject"),
        ("DELETE", "/bucket/exports/a.jsonl", {"uploadId": ["u"]}, "s3:AbortMultipartUpload"),
        ("GET", "/bucket/exports/a.jsonl", {"X-Amz-Credential": ["k/d/r/s3/aws4_request"]}, "s3:GetObject"),
    ],
)
def test_s3_object_requests(method: str, path: str, query: dict[str, list[str]], expected: str) -> None:
    calls = s3_calls(request("s3", method=method, path=path, query=query))

    assert calls == [Call(expected, "arn:aws:s3:::" + path.lstrip("/"))]


def test_an_s3_request_it_cannot_name_is_refused_not_let_through() -> None:
    with pytest.raises(UnmappedCallError):
        s3_calls(request("s3", method="PUT", path="/bucket/a", query={"retention": [""]}))


def test_a_form_upload_is_put_object_on_its_key_signed_by_its_credential() -> None:
    boundary = "b0undary"
    fields = {
        "key": "imports/u/${filename}",
        "x-amz-credential": "LOCALJobsFunction/20261206/us-east-1/s3/aws4_request",
    }
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    file_part = 'Content-Disposition: form-data; name="file"; filename="a.jsonl"\r\n\r\n{}\r\n'
    parts.append(f"--{boundary}\r\n{file_part}--{boundary}--\r\n")
    upload = request(
        "s3",
        path="/bucket",
        body="".join(parts).encode(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )

    assert form_upload_key(upload) == ("imports/u/a.jsonl", fields["x-amz-credential"])
    assert s3_calls(upload) == [Call("s3:PutObject", "arn:aws:s3:::bucket/imports/u/a.jsonl")]
