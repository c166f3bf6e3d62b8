"""Moto's DynamoDB at the size of a real import: transactions that cost what they touch, a stream that forgets.

transactions: a refused TransactWriteItems is undone from the items at its keys and the stream's length (moto
copies the whole table, stream included, for every transaction). stream_retention: a stream shard keeps the
records of the last 24 hours, at most MAX_RECORDS of them, as DynamoDB keeps 24 hours.
"""

from devstack.dynamodb.stream_retention import retain_recent_stream_records
from devstack.dynamodb.transactions import undo_refused_transactions_by_key

__all__ = ["retain_recent_stream_records", "undo_refused_transactions_by_key"]
