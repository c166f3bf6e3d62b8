"""`python -m verify` (`make verify`): the contract suite, a short fuzz and a smoke load against a stack.

    python -m verify --stack items-dev                      # a deployed stack: its outputs, a Cognito test user
    python -m verify --local                                # a local stack of its own (make test)
    python -m verify --local --outputs .aws-sam/local/outputs.json   # the running `make dev`
    python -m verify --url https://api.example.com --token T --other-token T2   # deployed elsewhere, own issuer
    python -m verify --stack items-prod --smoke [--smoke-read]   # read-only, after a production canary

One line per suite, then the verdict. Exit 0: verified; 1: a suite failed; 2: the target cannot be verified (no
such stack, an output missing, a pool the caller may not administer, an API that does not answer), with one line
saying which, before anything was created. Test users, their items and the jobs the contract suite created are
deleted whatever happened.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from verify import cleanup, contract, session, smoke, suites, target
from verify.errors import VerifyError
from verify.users import TestUsers

SUITES = ("contract", "fuzz", "load")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m verify", description=__doc__)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--stack", help="a deployed stack's name")
    where.add_argument("--local", action="store_true", help="the local stack (its own unless --outputs)")
    where.add_argument("--url", help="an API deployed elsewhere (with --token and --other-token)")
    parser.add_argument("--outputs", type=Path, help="with --local: a running local stack's outputs file")
    parser.add_argument("--api-url", help="reach the API here instead of its ApiUrl output (a proxy, a domain)")
    parser.add_argument("--token", default=os.environ.get("TOKEN"), help="instead of a Cognito user (default: TOKEN)")
    parser.add_argument("--other-token", default=os.environ.get("OTHER_TOKEN"), help="a second user's (OTHER_TOKEN)")
    parser.add_argument("--suites", default=",".join(SUITES), help="comma-separated, of: " + ", ".join(SUITES))
    parser.add_argument("--smoke", action="store_true", help="read-only: GET /health only (see --smoke-read)")
    parser.add_argument("--smoke-read", action="store_true", help="with --smoke: GET /items as a fresh test user")
    parser.add_argument("--fuzz-seconds", type=int, default=30)
    parser.add_argument("--load-seconds", type=int, default=20)
    parser.add_argument("--load-users", type=int, default=4)
    args = parser.parse_args(argv)
    if unknown := set(args.suites.split(",")) - set(SUITES):
        parser.error(f"unknown suites {', '.join(sorted(unknown))}: choose among {', '.join(SUITES)}")
    return args


def target_of(args: argparse.Namespace) -> AbstractContextManager[target.Target]:
    if args.stack:
        return nullcontext(target.deployed(args.stack))
    if args.url:
        return nullcontext(target.Target(name=args.url, local=False, outputs={"ApiUrl": args.url}, cognito=None))
    if args.outputs:
        return nullcontext(target.from_outputs_file(args.outputs))
    return target.started_local_stack()


def test_users(found: target.Target, args: argparse.Namespace) -> TestUsers | None:
    """Cognito test users of the stack's pool, checked before anything is created; None when tokens are given."""
    if (args.token and args.other_token) or found.cognito is None:
        return None
    users = TestUsers(found.cognito, found.outputs["UserPoolId"], found.outputs["UserPoolClientId"])
    users.check()
    return users


@contextmanager
def test_session(found: target.Target, args: argparse.Namespace) -> Iterator[session.Session]:
    """The session with its two users; afterwards, their jobs, their items and (Cognito) the users themselves are
    deleted."""
    users = test_users(found, args)
    tokens: dict[str, str] = {}
    current: session.Session | None = None
    try:
        tokens = users.tokens() if users else {session.USER: args.token, session.OTHER: args.other_token}
        current = session.Session(found.base_url, found.outputs, tokens)
        yield current
    finally:
        if current is not None:
            _clean_up(current)
        if users is not None:
            users.delete()


def _clean_up(current: session.Session) -> None:
    """Per user: the jobs the suites created, then the records of every owned collection; one line of totals."""
    jobs = 0
    records = dict.fromkeys(cleanup.owned_collections(), 0)
    for token in current.tokens.values():
        try:
            jobs += cleanup.delete_jobs(current.base_url, token, current.jobs.created_by(token))
            for collection, deleted in cleanup.delete_everything_owned(current.base_url, token).items():
                records[collection] += deleted
        except Exception as error:  # the other user's jobs and records and the users are still to be deleted
            print(f"cleanup: FAILED, jobs or records may be left: {error}", file=sys.stderr)
    counts = ", ".join(f"{deleted} {collection.strip('/')}" for collection, deleted in records.items())
    print(f"cleanup: {counts} and {jobs} jobs deleted")


def run_suites(current: session.Session, args: argparse.Namespace, local: bool) -> list[tuple[bool, str]]:
    runners: dict[str, Callable[[], tuple[bool, str]]] = {
        "contract": lambda: contract.run(current, minted_tokens="UserPoolId" in current.outputs),
        "fuzz": lambda: suites.fuzz(current, args.fuzz_seconds),
        "load": lambda: suites.load(
            current, seconds=args.load_seconds, users=args.load_users, thresholds="local" if local else "deployed"
        ),
    }
    results = []
    for name in args.suites.split(","):
        started = time.monotonic()
        passed, line = runners[name]()
        results.append((passed, f"{line} ({time.monotonic() - started:.0f} s)"))
    return results


def verify(args: argparse.Namespace) -> int:
    with target_of(args) as found:
        if args.api_url:
            found.outputs["ApiUrl"] = args.api_url
        target.require(found, tokens_given=bool(args.token and args.other_token) or args.smoke)
        if args.smoke:
            results = [smoke.run(found, read=args.smoke_read)]
            return report(found, results)
        with test_session(found, args) as current:
            session.begin(current)
            try:
                results = run_suites(current, args, found.local)
            finally:
                session.end()
    return report(found, results)


def report(found: target.Target, results: list[tuple[bool, str]]) -> int:
    for _, line in results:
        print(line)
    failed = [line.split(":")[0] for passed, line in results if not passed]
    print(f"verify {found.name}: " + (f"FAILED ({', '.join(failed)})" if failed else "PASSED"))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    try:
        code = verify(args)
    except VerifyError as error:
        print(f"verify: {error}", file=sys.stderr)
        return 2
    print(f"verify took {time.monotonic() - started:.0f} s", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
