"""TransactWriteItems undone by key: a refused transaction restores the items at its keys and cuts its stream
records, instead of moto's copy of every table it names.

Moto backs each table of a transaction up (copy.deepcopy: every item and every stream record) before it writes,
and rolls a refused one back by swapping that copy in. An import commits each chunk of 25 lines in a transaction,
so every chunk copied the whole table: a chunk cost grew with the table (an import was quadratic), and the swap left
stream readers' iterators on a stream that no longer grew. Here moto's backup is the live table itself (its
rollback then changes nothing); the undo log below holds what a refusal must restore: a copy of the item at each
key the transaction names (at most 100) and the length of each stream it may write to. DynamoDB requests run one
at a time (devstack.aws_server.AtomicDynamoDB), so nothing else writes between the snapshot and the undo.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table


@dataclass
class _KeyBefore:
    table: Table
    hash_key: DynamoType
    range_key: DynamoType | None
    item: Item | None  # a copy: an Update changes moto's item in place

    def restore(self) -> None:
        items: Any = self.table.items  # moto types it as a dict of dicts, also when it holds items
        if self.range_key is None:
            if self.item is None:
                items.pop(self.hash_key, None)
            else:
                items[self.hash_key] = self.item
            return
        same_hash = items[self.hash_key]
        if self.item is None:
            same_hash.pop(self.range_key, None)
        else:
            same_hash[self.range_key] = self.item


class UndoLog:
    """What a transaction may change, as it was before."""

    def __init__(self, tables: dict[str, Table], transact_items: list[dict[str, Any]]) -> None:
        self.keys: list[_KeyBefore] = []
        self.stream_lengths: dict[int, tuple[Any, int]] = {}
        for action in transact_items:
            operation, request = next(iter(action.items()), ("", None))
            if not isinstance(request, dict):
                continue  # moto refuses it
            table = tables.get(request.get("TableName", ""))
            if table is not None:
                self._remember(table, request.get("Item", {}) if operation == "Put" else request.get("Key", {}))

    def _remember(self, table: Table, key: dict[str, Any]) -> None:
        shard = table.stream_shard
        if shard is not None:
            self.stream_lengths.setdefault(id(shard), (shard, len(shard.items)))
        try:
            hash_key = DynamoType(key[table.hash_key_attr])
            range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        except (KeyError, TypeError, AttributeError):
            return  # moto refuses an action without its key before it writes anything for it
        items: Any = table.items
        current = items.get(hash_key)  # .get: moto's items is a defaultdict
        if range_key is not None:
            current = current.get(range_key) if current else None
        self.keys.append(_KeyBefore(table, hash_key, range_key, copy.deepcopy(current)))

    def undo(self) -> None:
        for key in reversed(self.keys):
            key.restore()
        for shard, length in self.stream_lengths.values():
            del shard.items[length:]


class _LiveTablesAsBackup:
    """Stands in for the copy module inside moto's DynamoDB models during one transaction: moto's backup of a table
    is the table itself; any other deep copy (an Update's old image, for its stream record) is a real one."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def deepcopy(self, value: Any, memo: dict[int, Any] | None = None) -> Any:
        return value if isinstance(value, Table) else self._module.deepcopy(value, memo)


def undo_refused_transactions_by_key() -> None:
    """Patches moto's TransactWriteItems (idempotent). Safe because AtomicDynamoDB runs one DynamoDB request at a
    time, so no other request sees the stand-in."""
    backend = dynamodb_models.DynamoDBBackend
    if getattr(backend.transact_write_items, "undone_by_key", False):
        return
    transact = backend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        undo_log = UndoLog(self.tables, transact_items)
        names = vars(dynamodb_models)  # moto's module imports `copy` and calls copy.deepcopy
        module = names["copy"]
        names["copy"] = _LiveTablesAsBackup(module)
        try:
            transact(self, transact_items)
        except BaseException:
            undo_log.undo()
            raise
        finally:
            names["copy"] = module

    transact_write_items.undone_by_key = True  # type: ignore[attr-defined]
    backend.transact_write_items = transact_write_items  # type: ignore[method-assign]
