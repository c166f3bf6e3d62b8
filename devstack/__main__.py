"""`python -m devstack`: the whole service from template.yaml on an embedded moto server.

Sets AWS_ENDPOINT_URL, dummy credentials and the region in this process and so in the functions' execution
environments, so handlers reach moto with no code change. With AWS_ENDPOINT_URL already set, no moto is started
and everything uses that endpoint. Each function runs in up to --concurrency subprocesses of its own; with
--concurrency 1, in this process, one invocation at a time (for a debugger's breakpoints).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

import boto3

from devstack.apidocs.swagger import ApiDocs
from devstack.aws_server import start_aws
from devstack.envjson import HASHED_COGNITO_IDS
from devstack.execution.function import DEFAULT_CONCURRENCY
from devstack.execution.process import start_forkserver
from devstack.iam.enforce import enforce_iam
from devstack.outputs import DEFAULT_OUTPUTS, DUMMY_CREDENTIALS, local_outputs, write_outputs
from devstack.pollers.base import Poller
from devstack.provision import provision
from devstack.servers import HttpServer, ensure_free
from devstack.stack import PollerFactory, event_pollers, function_runtimes, http_gateway, prewarm
from devstack.template import DEFAULT_TEMPLATE, load_template
from devstack.tracing.receiver import SpanReceiver

LOG = logging.getLogger("devstack")
DEFAULT_REGION = "us-east-1"  # fixed, not the developer's AWS_DEFAULT_REGION: local names stay the same everywhere


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    parser.add_argument("--host", default=env("DEVSTACK_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env("DEVSTACK_PORT", "3000")), help="HTTP API port")
    parser.add_argument("--aws-port", type=int, default=int(env("DEVSTACK_AWS_PORT", "5000")), help="moto port")
    parser.add_argument("--region", default=env("DEVSTACK_REGION", DEFAULT_REGION))
    parser.add_argument("--template", type=Path, default=Path(env("DEVSTACK_TEMPLATE", str(DEFAULT_TEMPLATE))))
    parser.add_argument("--parameter", action="append", default=[], metavar="NAME=VALUE", help="template parameter")
    parser.add_argument("--outputs", type=Path, default=DEFAULT_OUTPUTS, help="where to write the outputs JSON")
    parser.add_argument(
        "--time-scale",
        type=float,
        default=float(env("DEVSTACK_TIME_SCALE", "1")),
        help="multiply queue visibility timeouts and batching windows (0.05: a poison message dead-letters in s)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=int(env("DEVSTACK_CONCURRENCY", str(DEFAULT_CONCURRENCY))),
        help="execution environments per function (subprocesses); 1: handlers in this process, for breakpoints",
    )
    parser.add_argument(
        "--prewarm",
        action="store_true",
        default=env("DEVSTACK_PREWARM", "") == "1",
        help="start one environment of every function before answering (no cold start on first requests)",
    )
    return parser.parse_args(argv)


def configure_aws_environment(endpoint: str, region: str, *, embedded: bool) -> None:
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    os.environ["AWS_DEFAULT_REGION"] = region
    os.environ["AWS_REGION"] = region
    if embedded:
        # Never let a developer's real profile or session token near the local stack.
        for variable in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            os.environ.pop(variable, None)
        os.environ.update(DUMMY_CREDENTIALS)
        # The user pool and client get the ids env.json names, so sam local's functions verify this stack's tokens.
        for variable, value in HASHED_COGNITO_IDS.items():
            os.environ.setdefault(variable, value)
    else:
        for variable, value in DUMMY_CREDENTIALS.items():
            os.environ.setdefault(variable, value)


def configure_logging() -> None:
    """Our lines on stderr; handlers' own (JSON) logs go to stdout untouched, as in Lambda and sam local."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s [devstack] %(message)s", datefmt="%H:%M:%S"))
    LOG.addHandler(handler)
    LOG.setLevel(logging.INFO)
    LOG.propagate = False
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # we log one line per request ourselves


def _raise_interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM (docker stop, test teardown) shuts down like Ctrl-C


def run(args: argparse.Namespace, endpoint: str, started: float) -> None:
    parameters = dict(item.split("=", 1) for item in args.parameter)
    template = load_template(args.template, parameters=parameters, region=args.region)
    session = boto3.session.Session(region_name=args.region)
    names = provision(template, session=session, time_scale=args.time_scale)
    # Lambda's X-Ray daemon endpoint: every function environment inherits this process's variables.
    spans = SpanReceiver(args.outputs.parent / "spans.jsonl", args.host)
    os.environ["AWS_XRAY_DAEMON_ADDRESS"] = spans.address
    runtimes = function_runtimes(template, names, args.region, args.concurrency)
    enforce_iam(template, names, runtimes, endpoint)
    if args.prewarm:
        prewarm(runtimes)
    gateway = http_gateway(template, names, runtimes, endpoint)
    server = HttpServer(args.host, args.port, ApiDocs(gateway, args.template.parent / "openapi.json"))
    stop = threading.Event()
    factory = PollerFactory(names, session, stop, args.time_scale)
    pollers: list[Poller] = event_pollers(template, runtimes, factory)
    server.start()
    for poller in pollers:
        poller.start()
    api_url = f"http://{args.host}:{server.port}"
    outputs = local_outputs(template, names, api_url=api_url, endpoint=endpoint, region=args.region)
    write_outputs(outputs, args.outputs)
    for route in template.routes():
        LOG.info("route %s -> %s (authorizer: %s)", route.route_key, route.function_id, route.authorizer or "none")
    for key, value in outputs.items():
        LOG.info("output %s = %s", key, value)
    LOG.info("outputs written to %s", args.outputs)
    LOG.info("spans (TracingMode=otel) received on %s, written to %s", spans.address, spans.path)
    LOG.info("API docs %s/docs (Swagger UI; Authorize with a token of `make token USER=alice`)", api_url)
    mode = "in this process" if args.concurrency <= 1 else f"up to {args.concurrency} environments per function"
    LOG.info("functions run %s", mode)
    LOG.info("ready in %.1f s: API %s, AWS %s (Ctrl-C stops)", time.monotonic() - started, api_url, endpoint)
    try:
        threading.Event().wait()
    finally:
        LOG.info("stopping")
        stop.set()
        server.stop()
        spans.close()
        for runtime in runtimes.values():
            runtime.close()
        for poller in pollers:
            poller.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    started = time.monotonic()
    args = parse_args(argv)
    configure_logging()
    signal.signal(signal.SIGTERM, _raise_interrupt)
    ensure_free(args.host, args.port)
    external = os.environ.get("AWS_ENDPOINT_URL")
    moto_server = None if external else start_aws(args.host, args.aws_port)
    endpoint = external or f"http://{args.host}:{args.aws_port}"
    configure_aws_environment(endpoint, args.region, embedded=moto_server is not None)
    LOG.info("AWS endpoint %s (%s)", endpoint, "embedded moto" if moto_server else "from AWS_ENDPOINT_URL")
    if args.concurrency > 1:
        start_forkserver()  # its imports overlap with provisioning
    try:
        run(args, endpoint, started)
    except KeyboardInterrupt:
        pass
    finally:
        if moto_server is not None:
            moto_server.stop()
    LOG.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
