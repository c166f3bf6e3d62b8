"""A stream shard keeps its recent records only, as DynamoDB keeps a stream's records for 24 hours.

Moto's StreamShard keeps every record for the life of the process, in a list indexed by position (a record's
sequence number minus the shard's first), which iterators and GetRecords use. RetainedRecords stands in for that
list: positions and sequence numbers go on counting from the shard's start, while records older than 24 hours,
and the oldest beyond MAX_RECORDS, are dropped. A reader positioned before the oldest record kept (TRIM_HORIZON,
or a reader that fell that far behind) gets the oldest kept: DynamoDB answers TrimmedDataAccessException there,
and Lambda's poller then starts again from the trim horizon, which is where this leaves it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from moto.core.utils import utcnow
from moto.dynamodb.models.table import StreamShard

RETENTION = timedelta(hours=24)  # DynamoDB Streams' retention
# 24 hours of a local import at 200 lines/s would be 17 million records (tens of GB): the count bounds memory
# too. Measured: an imported line (its item and its record, both images) holds about 5 KB, so 200,000 records stay
# well under 1 GB; that is two 100,000-line imports that no reader has read yet.
MAX_RECORDS = 200_000


class RetainedRecords:
    """The part of moto's StreamShard.items that moto uses (len, append, slices from a position), plus deletion of
    a tail (a refused transaction's records)."""

    def __init__(self) -> None:
        self.max_records = MAX_RECORDS
        self.dropped = 0  # records before the oldest kept: positions go on counting from the shard's start
        self._records: list[Any] = []

    def __len__(self) -> int:
        return self.dropped + len(self._records)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._records)

    def __getitem__(self, positions: slice) -> list[Any]:
        first = max((positions.start or 0) - self.dropped, 0)
        return self._records[first : first + (positions.stop - (positions.start or 0))]

    def __delitem__(self, positions: slice) -> None:
        """del records[position:]: drops the records from that position on."""
        del self._records[max(positions.start - self.dropped, 0) :]

    def append(self, record: Any) -> None:
        self._records.append(record)
        oldest_kept = utcnow() - RETENTION
        expired = 0
        while expired < len(self._records) and _created(self._records[expired]) < oldest_kept:
            expired += 1
        # Over the count, drop a tenth at once: deleting from a list's front moves all of it.
        excess = len(self._records) - self.max_records
        if excess > 0:
            expired = max(expired, excess + self.max_records // 10)
        if expired:
            del self._records[:expired]
            self.dropped += expired


def _created(record: Any) -> Any:
    return record.record["dynamodb"]["ApproximateCreationDateTime"]


def retain_recent_stream_records() -> None:
    """Patches moto's StreamShard (idempotent): every shard created from now on keeps RetainedRecords."""
    if getattr(StreamShard.__init__, "retains_recent_records", False):
        return
    create = StreamShard.__init__

    def create_retaining_recent_records(self: StreamShard, account_id: str, table: Any) -> None:
        create(self, account_id, table)
        self.items = RetainedRecords()  # type: ignore[assignment]

    create_retaining_recent_records.retains_recent_records = True  # type: ignore[attr-defined]
    StreamShard.__init__ = create_retaining_recent_records  # type: ignore[method-assign]
