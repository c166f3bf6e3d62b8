"""How much time a job run keeps in reserve, derived from the configuration of the worker's clients.

Apart from app.wiring so that only the worker creates the TimeReserves class at cold start (see app.settings).
"""

from typing import Any, NamedTuple

from app.adapters.aws import read_timeout_ms, worst_case_call_ms


class TimeReserves(NamedTuple):
    """How much time a job run keeps when it decides to go on: enough for the worst case of every call that can
    follow its time check, each with all its retries and timeouts, so that Lambda never kills it mid-way."""

    import_ms: int
    export_ms: int


def time_reserves(*, dynamodb: Any, s3: Any, sqs: Any) -> TimeReserves:
    # Derived from the clients' configuration: changing a timeout or the retries changes the reserve.
    write, upload, send = worst_case_call_ms(dynamodb), worst_case_call_ms(s3), worst_case_call_ms(sqs)
    # Import, after a commit: read the next chunk (one stalled read of the file), commit it (one
    # TransactWriteItems), then hand over (SendMessage, and on a final attempt an UpdateItem).
    import_ms = read_timeout_ms(s3) + write + send + write
    # Export, before an item: the next Query page, a part's UploadPart and its checkpoint, then hand over (as an
    # import); or at the end of the query, the last UploadPart, CompleteMultipartUpload and the job's UpdateItem.
    export_ms = max(write + upload + write + send + write, upload + upload + write)
    return TimeReserves(import_ms=import_ms, export_ms=export_ms)
