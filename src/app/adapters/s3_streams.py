"""The worker's side of the jobs bucket: import files read as a stream from any offset, exports written in parts.

Neither side ever holds a whole file: reads come in chunks, and an export holds at most one part in memory.
"""

import contextlib
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from app.adapters.aws import error_code, unavailable_on_transient_errors
from app.domain.errors import ExportTooLargeError, ImportFileMissingError
from app.domain.jobs import JSONL_CONTENT_TYPE, NULL_VERSION

READ_CHUNK_BYTES = 1024 * 1024
# S3 parts are at least 5 MiB (except the last); 8 MiB bounds memory. The part ETags are checkpointed in the
# job record (at most 400 KB), which bounds an export to 5,000 parts: 40 GiB.
PART_BYTES = 8 * 1024 * 1024
MAX_PARTS = 5_000
# Without s3:ListBucket on the bucket, S3 answers a missing key with 403 AccessDenied instead of 404 NoSuchKey. The
# worker may GetObject every imports/ key (template.yaml), so a 403 there can only mean the file is gone; granting
# ListBucket instead would let the worker list every owner's uploads.
_MISSING = frozenset({"NoSuchKey", "NoSuchVersion", "404", "AccessDenied", "403"})


class S3ImportFiles:
    def __init__(self, *, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def size(self, *, key: str, version_id: str | None) -> int:
        """The object's ContentLength (HeadObject). Raises ImportFileMissingError if it is gone."""
        try:
            with unavailable_on_transient_errors():
                return int(self._client.head_object(**self._request(key, version_id))["ContentLength"])
        except ClientError as error:
            if error_code(error) in _MISSING:
                raise ImportFileMissingError() from error
            raise

    def read(self, *, key: str, version_id: str | None, offset: int) -> Iterator[bytes]:
        """The object's bytes from `offset` on, in chunks. Raises ImportFileMissingError if it is gone."""
        request = self._request(key, version_id)
        if offset:
            request["Range"] = f"bytes={offset}-"
        try:
            with unavailable_on_transient_errors():
                body = self._client.get_object(**request)["Body"]
        except ClientError as error:
            if error_code(error) == "InvalidRange":
                return  # the offset is the end of the file: a continuation with nothing left to read
            if error_code(error) in _MISSING:
                raise ImportFileMissingError() from error
            raise
        try:
            yield from body.iter_chunks(READ_CHUNK_BYTES)
        finally:
            body.close()

    def _request(self, key: str, version_id: str | None) -> dict[str, Any]:
        request: dict[str, Any] = {"Bucket": self._bucket, "Key": key}
        if version_id and version_id != NULL_VERSION:
            # The version the job started with: a second upload to the same key cannot change a running import.
            request["VersionId"] = version_id
        return request


class S3ExportFiles:
    def __init__(self, *, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def open_upload(self, *, key: str, upload_id: str | None, etags: tuple[str, ...]) -> "PartedUpload":
        """A new upload, or the multipart upload `upload_id` whose parts so far have these ETags."""
        return PartedUpload(client=self._client, bucket=self._bucket, key=key, upload_id=upload_id, etags=etags)

    def abort_upload(self, *, key: str, upload_id: str) -> None:
        """Best effort: the bucket's lifecycle rule also removes incomplete uploads after a day."""
        # Never hide the error that made the export stop behind one from the clean-up.
        with contextlib.suppress(ClientError, BotoCoreError):
            self._client.abort_multipart_upload(Bucket=self._bucket, Key=key, UploadId=upload_id)


class PartedUpload:
    """Buffers one part at a time; a file smaller than a part becomes a single PutObject."""

    def __init__(self, *, client: Any, bucket: str, key: str, upload_id: str | None, etags: tuple[str, ...]) -> None:
        self._client = client
        self._target = {"Bucket": bucket, "Key": key}
        self._buffer = bytearray()
        self.upload_id = upload_id
        self.etags = etags

    def write(self, data: bytes) -> bool:
        """Adds whole lines; True when they completed a part, which is then uploaded (a checkpoint is possible)."""
        self._buffer += data
        if len(self._buffer) < PART_BYTES:
            return False
        self._upload_part()
        return True

    def complete(self) -> None:
        with unavailable_on_transient_errors():
            if self.upload_id is None:
                self._client.put_object(**self._target, Body=bytes(self._buffer), ContentType=JSONL_CONTENT_TYPE)
                return
            if self._buffer:
                self._upload_part()
            parts = [{"ETag": etag, "PartNumber": number} for number, etag in enumerate(self.etags, start=1)]
            self._client.complete_multipart_upload(
                **self._target, UploadId=self.upload_id, MultipartUpload={"Parts": parts}
            )

    def _upload_part(self) -> None:
        number = len(self.etags) + 1
        if number > MAX_PARTS:
            raise ExportTooLargeError(f"The export is larger than {MAX_PARTS} parts of {PART_BYTES} bytes.")
        with unavailable_on_transient_errors():
            if self.upload_id is None:
                created = self._client.create_multipart_upload(**self._target, ContentType=JSONL_CONTENT_TYPE)
                self.upload_id = created["UploadId"]
            # The buffer itself, not a copy: a part is the largest thing the worker holds. UploadPart of the same
            # number replaces the part, so a retried call is harmless.
            response = self._client.upload_part(
                **self._target, UploadId=self.upload_id, PartNumber=number, Body=self._buffer
            )
        self.etags = (*self.etags, response["ETag"])
        self._buffer = bytearray()
