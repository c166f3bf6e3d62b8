"""Fixtures of the end-to-end tests: the local stack as a subprocess, reached over real HTTP.

`stack` runs template.yaml as it is; `fixture_stack` runs a copy with extra functions (tests/e2e/fixtures) and a
short time scale, for the event-source and template-change tests. `token_for(user)` gives a bearer token.

With E2E_BASE_URL and E2E_OUTPUTS set, `stack` is that API instead, backed by the running local stack whose outputs
file E2E_OUTPUTS names (E2E_FUNCTIONS_AWS_ENDPOINT: its moto as the functions reach it, for presigned URLs):
scripts/ci_sam_local.sh runs the `contract` tests through `sam local start-api` this way.

Inside `make verify` (verify/contract.py runs the `contract` tests in its own process), `stack` is the verified
API, `token_for` hands out its two test users' tokens, and each test starts with both users owning no items.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devstack.iam.enforce import iam_directory
from devstack.token import token_for as issue_token
from tests.e2e.localstack import Stack, extended_template, external_stack, start_stack, stop_stack
from verify import cleanup
from verify import session as verification

E2E_DIRECTORY = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: end-to-end test against the local stack over HTTP (python -m devstack)")


def pytest_sessionstart(session: pytest.Session) -> None:
    # `make iam-report` shows what this run's functions used, not an earlier run's as well (a verification's
    # contract suite runs these tests as well, and is not the run the report is about).
    if verification.current() is None:
        (iam_directory() / "usage.jsonl").unlink(missing_ok=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The stack is reached over real sockets even when unit tests run with pytest-socket's --disable-socket.
    for item in items:
        if E2E_DIRECTORY in item.path.parents:
            item.add_marker(pytest.mark.enable_socket)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if verified := verification.current():
        yield Stack(verified.base_url, "", verified.outputs, None, Path(os.devnull))
        return
    if os.environ.get("E2E_BASE_URL"):
        outputs = Path(os.environ["E2E_OUTPUTS"])
        yield external_stack(os.environ["E2E_BASE_URL"], outputs, os.environ.get("E2E_FUNCTIONS_AWS_ENDPOINT"))
        return
    running = start_stack(tmp_path_factory.mktemp("devstack"))
    yield running
    stop_stack(running.process)


@pytest.fixture(scope="session")
def fixture_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    directory = tmp_path_factory.mktemp("devstack-fixtures")
    running = start_stack(directory, "--template", str(extended_template(directory)), "--time-scale", "0.05")
    yield running
    stop_stack(running.process)


def _token_issuer(stack: Stack) -> Callable[[str], str]:
    tokens: dict[str, str] = {}

    def token_for(user: str) -> str:
        if user not in tokens:
            tokens[user] = issue_token(user, stack.outputs)
        return tokens[user]

    return token_for


@pytest.fixture(scope="session")
def token_for(stack: Stack) -> Callable[[str], str]:
    """token_for("alice") -> an access token of local user alice (created on first use)."""
    if verified := verification.current():
        return verified.token_for
    return _token_issuer(stack)


@pytest.fixture(autouse=True)
def _verified_users_own_nothing() -> None:
    """Under `make verify` the tests share two users: each test starts as if they were new (owning nothing)."""
    if verified := verification.current():
        for token in verified.tokens.values():
            cleanup.delete_everything_owned(verified.base_url, token)


@pytest.fixture(scope="session")
def fixture_token_for(fixture_stack: Stack) -> Callable[[str], str]:
    return _token_issuer(fixture_stack)
