"""The local stack's AWS: a moto server whose DynamoDB requests are atomic, as on DynamoDB.

Moto applies a conditional write in steps (read the item, check the condition, store) without a lock: two
concurrent UpdateItems on the same condition can both succeed (measured: 3 of 30 trials of two of them), and a
Query can run while another thread changes the table under it. DynamoDB evaluates a condition and writes
atomically, so this server lets one DynamoDB or DynamoDB Streams request into moto at a time; every other
service (S3 uploads, SQS long polls) stays concurrent.

Moto also backs a table up (a deep copy, its stream included) once for every item of a TransactWriteItems, so
that it can roll the transaction back; an import commits each chunk of 25 items in one transaction, and the local
import slowed down with the size of the table 26 times over. This server backs each table up once per transaction.

Moto rolls a refused transaction back by swapping in that copy, stream and all: every shard iterator a stream
reader holds then points at the old stream, which never gets another record (the local audit function fell silent
for the rest of a session). DynamoDB keeps one stream per table whatever its transactions do, and a refused one
writes no record, so this server keeps the live stream, cut back to its records from before the transaction.

`python -m devstack.aws_server --port 5001` runs it alone: AWS state that outlives a local stack pointed at it
with AWS_ENDPOINT_URL (the crash tests do that).
"""

from __future__ import annotations

import argparse
import logging
import threading
from collections.abc import Iterable
from typing import Any

from moto.dynamodb import models as dynamodb_models
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

from devstack.iam.middleware import IamEnforcer
from devstack.servers import HttpServer

LOG = logging.getLogger("devstack")
_SERIALISED_TARGETS = ("DynamoDB_", "DynamoDBStreams_")  # X-Amz-Target prefixes of the DynamoDB JSON protocols


class AtomicDynamoDB:
    """WSGI middleware: one DynamoDB request at a time, the whole of it (condition, write, response)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if not str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith(_SERIALISED_TARGETS):
            result: Iterable[bytes] = self.app(environ, start_response)
            return result
        with self.lock:
            return list(self.app(environ, start_response))


class _OneCopyEach:
    """Stands in for the copy module inside moto's DynamoDB models during one transaction: an object already
    copied in it is not copied again (it is held, so its id cannot be reused by another object meanwhile)."""

    def __init__(self, module: Any) -> None:
        self._module = module
        self._copies: dict[int, tuple[Any, Any]] = {}

    def deepcopy(self, value: Any, memo: dict[int, Any] | None = None) -> Any:
        if id(value) not in self._copies:
            self._copies[id(value)] = (value, self._module.deepcopy(value, memo))
        return self._copies[id(value)][1]


def _keep_live_streams(before: dict[str, Any], after: dict[str, Any]) -> None:
    """After a rollback (a table replaced by its copy), the copy takes over the live stream shard, which readers'
    iterators point at, with the copy's records: those from before the transaction."""
    for name, live_table in before.items():
        restored = after.get(name)
        shard = live_table.stream_shard
        if restored is None or restored is live_table or shard is None or restored.stream_shard is None:
            continue
        shard.items = restored.stream_shard.items
        shard.table = restored
        restored.stream_shard = shard


def back_up_each_table_once_per_transaction() -> None:
    """Patches moto's TransactWriteItems (idempotent). Safe because AtomicDynamoDB runs one DynamoDB request at a
    time, so no other request sees the stand-in."""
    backend = dynamodb_models.DynamoDBBackend
    if getattr(backend.transact_write_items, "one_backup_per_table", False):
        return
    transact = backend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        names = vars(dynamodb_models)  # moto's module imports `copy` and calls copy.deepcopy
        module = names["copy"]
        names["copy"] = _OneCopyEach(module)
        tables = dict(self.tables)
        try:
            transact(self, transact_items)
        finally:
            names["copy"] = module
            _keep_live_streams(tables, self.tables)

    transact_write_items.one_backup_per_table = True  # type: ignore[attr-defined]
    backend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def moto_app() -> IamEnforcer:
    back_up_each_table_once_per_transaction()
    # IAM outermost: a refused call never waits for the DynamoDB lock (devstack/iam/).
    return IamEnforcer(AtomicDynamoDB(DomainDispatcherApplication(create_backend_app)))


def start_aws(host: str, port: int) -> HttpServer:
    """The embedded AWS, serving in a thread of this process."""
    server = HttpServer(host, port, moto_app(), request_handler=MotoRequestHandler)
    server.start()
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.aws_server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    server = start_aws(args.host, args.port)
    print(f"AWS (moto, atomic DynamoDB) on http://{args.host}:{server.port}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
