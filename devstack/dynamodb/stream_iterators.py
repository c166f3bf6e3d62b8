"""Stream iterators forgotten 15 minutes after their last use, as DynamoDB's expire 15 minutes after they are made.

Moto's GetRecords makes a new iterator for every call (NextShardIterator) and keeps every one for the life of the
process: a stream reader polling four times a second, as Lambda's poller and the local stack's do, added 14,400
an hour (about 2 KB each: the 632-character id is held twice, in the iterator and in its key). Here an iterator
is dropped 15 minutes after it was last used; one never used is kept (the local stream poller holds its next
iterator while a batch is retried, for as long as retries last).
"""

from __future__ import annotations

import time
from typing import Any

from moto.dynamodbstreams.models import DynamoDBStreamsBackend

LIFETIME_SECONDS = 15 * 60


def _note_use(backend: Any, iterator_arn: str) -> None:
    """Moves the iterator to the end of the backend's uses, then forgets those from more than LIFETIME_SECONDS ago."""
    now = time.monotonic()
    last_used: dict[str, float] = backend.__dict__.setdefault("iterators_last_used", {})
    last_used.pop(iterator_arn, None)
    last_used[iterator_arn] = now
    while last_used:
        oldest, used_at = next(iter(last_used.items()))
        if used_at > now - LIFETIME_SECONDS:
            return
        del last_used[oldest]
        backend.shard_iterators.pop(oldest, None)


def forget_used_stream_iterators() -> None:
    """Patches moto's DynamoDB Streams GetRecords (idempotent)."""
    if getattr(DynamoDBStreamsBackend.get_records, "forgets_used_iterators", False):
        return
    get_records = DynamoDBStreamsBackend.get_records

    def get_records_forgetting_used(self: Any, iterator_arn: str, limit: int) -> dict[str, Any]:
        records = get_records(self, iterator_arn, limit)
        _note_use(self, iterator_arn)
        return records

    get_records_forgetting_used.forgets_used_iterators = True  # type: ignore[attr-defined]
    DynamoDBStreamsBackend.get_records = get_records_forgetting_used  # type: ignore[method-assign]
