"""`python -m loadtests` (`make load`): a headless Locust run with thresholds and an HTML report.

Without --url it starts the local stack on free ports, issues tokens for a few local users and runs a bounded
load (--users for --run-time); with --url it loads a deployed stack with the bearer token(s) of a Cognito test user
(LOAD_TOKEN, or --token), following a LoadTestShape profile (ramp, steady, spike or full). Either way it checks
every route against thresholds.toml (0 failures, p95 and p99 limits), prints the figures, and prints the HTML
report's path as its last line. The exit code is 1 when a threshold failed.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from loadtests.thresholds import breaches, failure_lines, load_limits, read_stats, summary

HERE = Path(__file__).resolve().parent
REPORTS = HERE.parent / ".aws-sam" / "load"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m loadtests", description=__doc__)
    parser.add_argument("--url", help="a deployed stack's ApiUrl; without it, a local stack is started")
    parser.add_argument(
        "--token",
        default=os.environ.get("LOAD_TOKEN") or os.environ.get("TOKEN"),
        help="bearer token(s), comma-separated, of a deployed stack (default: LOAD_TOKEN or TOKEN, as make passes it)",
    )
    parser.add_argument("--users", type=int, help="users; a profile's steady count (default: 8 local, 20 deployed)")
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", default="30s", help="length of a run without a profile")
    parser.add_argument("--owners", type=int, default=3, help="local users (token subjects) to spread the load")
    parser.add_argument("--profile", choices=["ramp", "steady", "spike", "full"], help="a LoadTestShape profile")
    parser.add_argument("--duration", type=int, default=300, help="seconds of the whole profile")
    parser.add_argument("--thresholds", choices=["local", "deployed"], help="default: local without --url")
    parser.add_argument("--reports", type=Path, default=REPORTS, help="folder of the HTML report and CSV files")
    args = parser.parse_args(argv)
    args.users = args.users or (20 if args.url else 8)
    return args


def locust_command(args: argparse.Namespace, host: str, prefix: Path) -> list[str]:
    # Each resource scaffolded by `make resource` brings its own Locust user in loadtests/resources/.
    users = [HERE / "locustfile.py", *sorted((HERE / "resources").glob("[!_]*.py"))]
    files = ",".join(str(path) for path in users) + (f",{HERE / 'shape.py'}" if args.profile else "")
    command = [
        sys.executable, "-m", "locust", "-f", files, "--headless", "--only-summary", "--host", host,
        "--csv", str(prefix), "--html", f"{prefix}.html", "--stop-timeout", "10", "--loglevel", "WARNING",
    ]  # fmt: skip
    if not args.profile:
        command += ["--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time]
    return command


@contextmanager
def local_target(owners: int) -> Iterator[tuple[str, list[str]]]:
    """The local stack on free ports (yours, if running, is left alone) and tokens of `owners` local users."""
    from devstack.token import token_for
    from tests.e2e.localstack import start_stack, stop_stack

    with tempfile.TemporaryDirectory() as directory:
        stack = start_stack(Path(directory))
        try:
            yield stack.base_url, [token_for(f"load{n}", stack.outputs) for n in range(owners)]
        finally:
            stop_stack(stack.process)


@contextmanager
def deployed_target(url: str, token: str | None) -> Iterator[tuple[str, list[str]]]:
    if not token:
        raise SystemExit("a deployed stack needs a token: make load URL=... TOKEN=... (see loadtests/README.md)")
    yield url.rstrip("/"), [t for t in token.split(",") if t]


def run(args: argparse.Namespace, prefix: Path) -> int:
    target = deployed_target(args.url, args.token) if args.url else local_target(args.owners)
    with target as (host, tokens):
        environment = os.environ | {
            "LOAD_TOKENS": json.dumps(tokens),
            "LOAD_PROFILE": args.profile or "",
            "LOAD_USERS": str(args.users),
            "LOAD_DURATION": str(args.duration),
        }
        return subprocess.run(locust_command(args, host, prefix), env=environment, check=False).returncode


def judge(prefix: Path, target: str, locust_exit: int) -> int:
    """Prints the figures, the failures and the broken thresholds, then the report's path last; the exit code."""
    stats = read_stats(Path(f"{prefix}_stats.csv"))
    limits = load_limits(target)
    print(summary(stats, limits))
    found = breaches(stats, limits)
    for failure in failure_lines(Path(f"{prefix}_failures.csv")):
        print(f"FAILURE: {failure}")
    for breach in found:
        print(f"THRESHOLD FAILED: {breach}")
    print("thresholds passed" if not (found or locust_exit) else f"load run failed (locust exit {locust_exit})")
    print(f"{prefix}.html")
    return 1 if found or locust_exit else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    target = "deployed" if args.url else "local"
    args.reports.mkdir(parents=True, exist_ok=True)
    prefix = args.reports / f"{target}-{args.profile or 'bounded'}-{time.strftime('%Y%m%dT%H%M%S')}"
    locust_exit = run(args, prefix)
    if not Path(f"{prefix}_stats.csv").exists():
        print(f"Locust wrote no statistics (exit {locust_exit}): see its output above")
        return 1
    return judge(prefix, args.thresholds or target, locust_exit)


if __name__ == "__main__":
    sys.exit(main())
