"""Imports over HTTP for the e2e tests and the latency bench: upload a JSON-lines file, follow the job, time the API.

The stack is a tests.e2e.localstack.Stack or anything with a base_url.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import requests


class HasBaseUrl(Protocol):
    base_url: str


def api(stack: HasBaseUrl, token: str, method: str, path: str, timeout: float = 30) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.request(method, f"{stack.base_url}{path}", headers=headers, timeout=timeout)


def jsonl(lines: int) -> bytes:
    return "".join(
        json.dumps({"name": f"item {number}", "price": number % 100}) + "\n" for number in range(lines)
    ).encode()


def start_import(stack: HasBaseUrl, token: str, lines: int) -> str:
    """POST /imports, then the file uploaded through the presigned POST; the import id."""
    created = api(stack, token, "POST", "/imports")
    assert created.status_code == 202, created.text
    form = created.json()["upload"]
    files = {"file": ("items.jsonl", jsonl(lines))}
    uploaded = requests.post(form["url"], data=form["fields"], files=files, timeout=60)
    assert uploaded.status_code == 204, uploaded.text
    return str(created.json()["importId"])


def wait_for_import(
    stack: HasBaseUrl, token: str, import_id: str, *, seconds: float, until: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """The import's report once `until` holds for it; AssertionError after `seconds`."""
    deadline = time.monotonic() + seconds
    report: dict[str, Any] = {}
    while time.monotonic() < deadline:
        answer = api(stack, token, "GET", f"/imports/{import_id}")
        if answer.status_code == 200:
            report = answer.json()
            if until(report):
                return report
        time.sleep(0.25)
    raise AssertionError(f"import {import_id} after {seconds} s: {report}")


def finished(report: dict[str, Any]) -> bool:
    return report.get("status") in ("COMPLETED", "FAILED")


@dataclass
class Latencies:
    """Seconds per request of one route while an import ran, with every status seen."""

    seconds: list[float]
    statuses: list[int]

    def percentile(self, percent: int) -> float:
        if len(self.seconds) < 2:
            return max(self.seconds, default=0.0)
        return statistics.quantiles(self.seconds, n=100, method="inclusive")[percent - 1]

    def summary(self) -> str:
        return (
            f"p50 {self.percentile(50) * 1000:.0f} ms, p99 {self.percentile(99) * 1000:.0f} ms, n={len(self.seconds)}"
        )


def latencies_during_import(stack: HasBaseUrl, token: str, lines: int, seconds: float) -> dict[str, Any]:
    """GET /items and GET /imports/{id}, one after the other, from the upload until the import has finished."""
    import_id = start_import(stack, token, lines)
    routes = {"GET /items": "/items?limit=10", "GET /imports/{id}": f"/imports/{import_id}"}
    measured = {route: Latencies([], []) for route in routes}
    report: dict[str, Any] = {}
    deadline = time.monotonic() + seconds
    while not finished(report) and time.monotonic() < deadline:
        for route, path in routes.items():
            started = time.perf_counter()
            answer = api(stack, token, "GET", path, timeout=60)
            measured[route].seconds.append(time.perf_counter() - started)
            measured[route].statuses.append(answer.status_code)
            if route == "GET /imports/{id}" and answer.status_code == 200:
                report = answer.json()
        time.sleep(0.05)
    return {"report": report, "latencies": measured}
