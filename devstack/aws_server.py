"""The local stack's AWS: a moto server whose DynamoDB requests are atomic, as on DynamoDB.

Moto applies a conditional write in steps (read the item, check the condition, store) without a lock: two
concurrent UpdateItems on the same condition can both succeed (measured: 3 of 30 trials of two of them), and a
Query can run while another thread changes the table under it. DynamoDB evaluates a condition and writes
atomically, so this server lets one DynamoDB or DynamoDB Streams request into moto at a time; every other
service (S3 uploads, SQS long polls) stays concurrent.

At the size of a real import, moto needs more: its transactions copy whole tables and it keeps every object it
ever made (devstack/dynamodb, devstack/moto_instances.py).

`python -m devstack.aws_server --port 5001` runs it alone: AWS state that outlives a local stack pointed at it
with AWS_ENDPOINT_URL (the crash tests do that).
"""

from __future__ import annotations

import argparse
import logging
import threading
from collections.abc import Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

from devstack import dynamodb
from devstack.iam.middleware import IamEnforcer
from devstack.moto_instances import track_moto_instances_weakly
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


def moto_app() -> IamEnforcer:
    track_moto_instances_weakly()
    dynamodb.patch_moto()
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
