"""Moto's DynamoDB at the size of a real import: transactions that cost what they touch, streams that forget.

transactions: a refused TransactWriteItems is undone from the items at its keys and the stream's length (moto
copies the whole table, stream included, for every transaction). stream_retention: a stream shard keeps the
records of the last 24 hours, at most MAX_RECORDS of them, as DynamoDB keeps 24 hours. stream_iterators: an
iterator is forgotten 15 minutes after its last use (moto keeps one per GetRecords, for ever).
"""

from devstack.dynamodb.stream_iterators import forget_used_stream_iterators
from devstack.dynamodb.stream_retention import retain_recent_stream_records
from devstack.dynamodb.transactions import undo_refused_transactions_by_key


def patch_moto() -> None:
    """Patches moto's DynamoDB and DynamoDB Streams classes, for this process (idempotent)."""
    undo_refused_transactions_by_key()
    retain_recent_stream_records()
    forget_used_stream_iterators()
