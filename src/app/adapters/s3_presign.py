"""Presigned S3 POST and GET for the jobs bucket: large files travel between client and S3, never through the API.
The API itself only deletes a job's file, when its owner deletes the job."""

from collections.abc import Callable
from typing import Any

from app.adapters.aws import unavailable_on_transient_errors
from app.domain.jobs import JSONL_CONTENT_TYPE
from app.models.jobs import UploadForm


class S3FileTransfers:
    def __init__(self, *, make_client: Callable[[], Any], bucket: str) -> None:
        # Makes (once) a client from adapters.aws.s3_client: SigV4 and the regional endpoint, signed with the
        # function's role. Called when a URL is signed, so routes that sign none never create it.
        self._client = make_client
        self._bucket = bucket

    def presign_upload(self, *, key: str, max_bytes: int, expires_in: int) -> UploadForm:
        # S3 enforces the policy: this key only, 1 byte to max_bytes, the JSONL content type, until expiry.
        # Signing is local: no request leaves the function.
        post = self._client().generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": JSONL_CONTENT_TYPE},
            Conditions=[["content-length-range", 1, max_bytes], {"Content-Type": JSONL_CONTENT_TYPE}],
            ExpiresIn=expires_in,
        )
        return UploadForm(url=post["url"], fields=post["fields"])

    def presign_download(self, *, key: str, expires_in: int) -> str:
        file_name = key.rsplit("/", 1)[-1]
        url: str = self._client().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": key,
                "ResponseContentType": JSONL_CONTENT_TYPE,
                "ResponseContentDisposition": f'attachment; filename="items-{file_name}"',
            },
            ExpiresIn=expires_in,
        )
        return url

    def delete_file(self, *, key: str) -> None:
        # S3 answers 204 whether or not the key exists, so a retry is harmless. In the versioned bucket this adds a
        # delete marker: the file is gone for every reader, and the lifecycle rules remove the old version after a
        # day (NoncurrentVersionExpiration) and then the marker (ExpiredObjectDeleteMarker).
        with unavailable_on_transient_errors():
            self._client().delete_object(Bucket=self._bucket, Key=key)
