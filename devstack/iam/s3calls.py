"""The IAM action and resource of an S3 request (path-style, as clients of a local endpoint address it).

Object requests are authorized on `arn:aws:s3:::bucket/key`, bucket requests on `arn:aws:s3:::bucket`. A browser
form upload (presigned POST) is s3:PutObject on the form's key, authorized as the credential that signed its policy.
"""

from __future__ import annotations

import io
from urllib.parse import unquote

from werkzeug.formparser import parse_form_data

from devstack.iam.calls import Call, Request, UnmappedCallError

_OBJECT_SUBRESOURCES = {
    ("GET", "uploadId"): "ListMultipartUploadParts",
    ("DELETE", "uploadId"): "AbortMultipartUpload",
    ("PUT", "uploadId"): "PutObject",  # UploadPart
    ("POST", "uploadId"): "PutObject",  # CompleteMultipartUpload
    ("POST", "uploads"): "PutObject",  # CreateMultipartUpload
    ("GET", "tagging"): "GetObjectTagging",
    ("PUT", "tagging"): "PutObjectTagging",
    ("GET", "acl"): "GetObjectAcl",
    ("GET", "attributes"): "GetObjectAttributes",
}
_BUCKET_SUBRESOURCES = {
    ("GET", "versions"): "ListBucketVersions",
    ("GET", "uploads"): "ListBucketMultipartUploads",
    ("GET", "location"): "GetBucketLocation",
    ("GET", "versioning"): "GetBucketVersioning",
    ("GET", "cors"): "GetBucketCORS",
    ("GET", "policy"): "GetBucketPolicy",
    ("GET", "notification"): "GetBucketNotification",
}
_PLAIN_OBJECT = {"GET": "GetObject", "HEAD": "GetObject", "PUT": "PutObject", "DELETE": "DeleteObject"}
_SIGNING_PARAMETERS = ("X-Amz-", "x-amz-", "response-", "AWSAccessKeyId", "Signature", "Expires")
_VERSIONED = {"GetObject": "GetObjectVersion", "DeleteObject": "DeleteObjectVersion"}


def _subresource(request: Request, known: dict[tuple[str, str], str]) -> str | None:
    for (method, name), action in known.items():
        if method == request.method and name in request.query:
            return action
    return None


def _object_action(request: Request) -> str:
    action = _subresource(request, _OBJECT_SUBRESOURCES)
    if action is not None:
        return action
    # Presigned URLs carry their signature (X-Amz-*) and response overrides in the query: neither changes the action.
    unknown = [name for name in request.query if not name.startswith(_SIGNING_PARAMETERS) and name != "versionId"]
    plain = _PLAIN_OBJECT.get(request.method)
    if unknown or plain is None:
        raise UnmappedCallError(f"s3 {request.method} {request.path}?{sorted(unknown)} is not mapped locally")
    return _VERSIONED.get(plain, plain) if "versionId" in request.query else plain


def _object_call(request: Request, bucket: str, key: str) -> list[Call]:
    calls = [Call(f"s3:{_object_action(request)}", f"arn:aws:s3:::{bucket}/{key}")]
    copy_source = request.headers.get("x-amz-copy-source")
    if copy_source and request.method == "PUT":  # CopyObject, UploadPartCopy: also a read of the source
        source = unquote(copy_source).lstrip("/").split("?", 1)[0]
        calls.append(Call("s3:GetObject", f"arn:aws:s3:::{source}"))
    return calls


def form_upload_key(request: Request) -> tuple[str, str | None]:
    """(key, signing credential) of a browser form upload: the form's key (with ${filename}) and x-amz-credential."""
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": request.headers.get("content-type", ""),
        "CONTENT_LENGTH": str(len(request.body)),
        "wsgi.input": io.BytesIO(request.body),
    }
    _, form, files = parse_form_data(environ)
    fields = {name.lower(): value for name, value in form.items()}
    upload = next(iter(files.values()), None)
    key = fields.get("key", "").replace("${filename}", (upload.filename or "") if upload else "")
    return key, fields.get("x-amz-credential")


def _bucket_call(request: Request, bucket: str) -> list[Call]:
    resource = f"arn:aws:s3:::{bucket}"
    if request.method == "POST" and request.headers.get("content-type", "").startswith("multipart/form-data"):
        key, _ = form_upload_key(request)
        return [Call("s3:PutObject", f"{resource}/{key}")]
    action = _subresource(request, _BUCKET_SUBRESOURCES)
    if action is None and request.method in ("GET", "HEAD"):
        action = "ListBucket"
    if action is None:
        raise UnmappedCallError(f"s3 {request.method} {request.path}?{sorted(request.query)} is not mapped locally")
    return [Call(f"s3:{action}", resource)]


def s3_calls(request: Request) -> list[Call]:
    bucket, _, key = request.path.lstrip("/").partition("/")
    if not bucket:
        return [Call("s3:ListAllMyBuckets", "*")]
    return _object_call(request, bucket, unquote(key)) if key else _bucket_call(request, bucket)
