"""The contract suite: the e2e tests marked `contract`, run in this process against the target, and which route
each failed test saw answer last (a 5xx first), so that a broken deployment is named by its route."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from verify.jobs import JobLedger
from verify.session import Session

REPO_TESTS = "tests/e2e"
# Tests minting Cognito-shaped tokens with moto's key name the pool in their claims: only with the stack's own pool.
MINTED_CLAIMS_TESTS = " or ".join(
    ["another_key", "expired", "another_client", "another_audience", "another_issuer", "refresh", "valid_yet"]
)
_ID_SEGMENT = re.compile(r"^/(items|imports|exports)/[^/]+")


def route_of(url: str, base_url: str) -> str:
    """GET https://api/items/01H.../history -> /items/{id}/history; a URL elsewhere (presigned S3) by its host."""
    if not url.startswith(base_url):
        return f"{urlsplit(url).netloc} (presigned URL)"
    path = urlsplit(url).path.removeprefix(urlsplit(base_url).path) or "/"
    return _ID_SEGMENT.sub(lambda match: f"/{match.group(1)}/{{id}}", path)


@dataclass
class Recorder:
    """A pytest plugin: the answers each test's call phase received, and the culprit of each failure."""

    base_url: str
    answers: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    passed: int = 0
    recording: bool = False

    def heard(self, method: str, url: str, status: int) -> None:
        if self.recording:
            self.answers.append(f"{status}|{method} {route_of(url, self.base_url)}")

    def culprit(self) -> str:
        errors = [answer for answer in self.answers if answer.startswith("5")]
        status, route = (errors or self.answers or ["?|no request"])[-1].split("|")
        return f"{route} -> {status}"

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_call(self) -> None:
        self.answers.clear()
        self.recording = True

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            self.recording = False
            self.passed += report.passed
        if report.failed:
            culprit = self.culprit() if report.when == "call" else f"{report.when} error"
            self.failures[report.nodeid.split("::")[-1]] = culprit


@contextmanager
def listening(recorder: Recorder, jobs: JobLedger) -> Iterator[None]:
    original = requests.Session.send

    def send(session: requests.Session, request: Any, **options: Any) -> requests.Response:
        response = original(session, request, **options)
        recorder.heard(str(request.method), str(request.url), response.status_code)
        route = route_of(str(request.url), recorder.base_url)
        jobs.heard(str(request.method), route, str(request.headers.get("Authorization", "")), response)
        return response

    requests.Session.send = send  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        requests.Session.send = original  # type: ignore[method-assign]


def summary(recorder: Recorder, exit_code: int) -> tuple[bool, str]:
    if not recorder.failures and exit_code == 0:
        return True, f"contract: passed, {recorder.passed} tests"
    by_route: dict[str, list[str]] = {}
    for test, route in recorder.failures.items():
        by_route.setdefault(route, []).append(test)
    details = "; ".join(f"{route} ({', '.join(tests)})" for route, tests in by_route.items())
    total = recorder.passed + len(recorder.failures)
    return False, f"contract: FAILED {len(recorder.failures)} of {total}: {details or f'pytest exit {exit_code}'}"


def run(session: Session, *, minted_tokens: bool) -> tuple[bool, str]:
    recorder = Recorder(session.base_url)
    selection = ["-m", "contract"] + ([] if minted_tokens else ["-k", f"not ({MINTED_CLAIMS_TESTS})"])
    arguments = [REPO_TESTS, *selection, "-q", "-p", "no:cacheprovider", "--no-header", "--tb=line"]
    with listening(recorder, session.jobs):
        exit_code = pytest.main(arguments, plugins=[recorder])
    return summary(recorder, int(exit_code))
