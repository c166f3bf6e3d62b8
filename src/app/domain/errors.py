"""Domain errors. Adapters raise them instead of botocore errors; api/errors.py maps them to HTTP."""


class DomainError(Exception):
    """Base class; the message is safe to show to the caller."""

    message = "The request failed."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)


class NotAuthenticatedError(DomainError):
    message = "A valid bearer token is required."


class ItemNotFoundError(DomainError):
    # Also raised for another owner's item: the two must be indistinguishable.
    message = "Item not found."


class JobNotFoundError(DomainError):
    # Also raised for another owner's import or export, exactly like a missing one.
    message = "Job not found."


# make resource: not-found errors above


class JobNotFinishedError(DomainError):
    """A delete of a job that is queued or running: deleting under the worker would race it."""

    message = "The job has not finished yet; delete it once GET reports it COMPLETED or FAILED."


class JobCannotFinishError(DomainError):
    """A job that no retry can complete: the worker marks it FAILED with this message, which its owner reads."""

    message = "The job cannot be completed."


class ImportFileMissingError(JobCannotFinishError):
    """The uploaded file of an import is gone (deleted, or expired by the bucket's lifecycle rule)."""

    message = "The uploaded file no longer exists."


class ImportFileTooLargeError(JobCannotFinishError):
    """S3 enforces the presigned POST's size range, but the worker does not rely on it."""

    message = "The uploaded file is larger than imports allow; nothing was imported."


class ExportTooLargeError(JobCannotFinishError):
    message = "The export is larger than one file can hold."


class VersionMismatchError(DomainError):
    message = "The item has changed since it was read; fetch it again and retry with its current ETag."


class PreconditionRequiredError(DomainError):
    message = "This request needs an If-Match header with the item's current ETag."


class InvalidCursorError(DomainError):
    message = "The cursor is malformed or was not issued for this caller."


class IdempotencyKeyReusedError(DomainError):
    message = "This Idempotency-Key was already used with a different request body."


class RequestInProgressError(DomainError):
    message = "A request with this Idempotency-Key is still in progress; retry shortly."


class PayloadTooLargeError(DomainError):
    message = "The request body is too large."


class UnsupportedMediaTypeError(DomainError):
    message = "The request body must be JSON (Content-Type: application/json)."


class MalformedRequestError(DomainError):
    """The body is not UTF-8 JSON within the parser's limits."""

    message = "The request body is not valid JSON."


class DependencyUnavailableError(DomainError):
    """A backing service is throttling or unreachable after retries: the caller may retry."""

    message = "The service is temporarily unavailable; retry shortly."
