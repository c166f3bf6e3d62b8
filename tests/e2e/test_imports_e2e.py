"""Imports and exports in the local stack over HTTP: the presigned POST to the local S3, the bucket's notification,
the worker polled from the queues, the report, and the export downloaded through its presigned GET."""

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.e2e.localstack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.contract, pytest.mark.timeout(120)]
DEADLINE_SECONDS = 30
LINES = [{"name": "Lamp", "price": 12.5}, {"name": ""}, {"name": "Chair", "tags": ["office"]}]


def api(stack: Stack, token: str, method: str, path: str) -> requests.Response:
    return requests.request(method, f"{stack.base_url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def wait_until_finished(stack: Stack, token: str, path: str) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE_SECONDS
    report: dict[str, Any] = {}
    while time.monotonic() < deadline:
        report = api(stack, token, "GET", path).json()
        if report["status"] in ("COMPLETED", "FAILED"):
            return report
        time.sleep(0.25)
    raise AssertionError(f"{path} still {report.get('status')} after {DEADLINE_SECONDS} s")


def test_an_import_then_an_export_over_http(stack: Stack, token_for: Callable[[str], str]) -> None:
    token = token_for("importer")
    created = api(stack, token, "POST", "/imports")
    assert created.status_code == 202
    form = created.json()["upload"]
    content = "".join(json.dumps(line) + "\n" for line in LINES).encode()

    upload_url = stack.reachable(form["url"])
    uploaded = requests.post(upload_url, data=form["fields"], files={"file": ("items.jsonl", content)}, timeout=10)

    assert uploaded.status_code == 204, uploaded.text
    report = wait_until_finished(stack, token, f"/imports/{created.json()['importId']}")
    assert (report["status"], report["imported"], report["rejected"]) == ("COMPLETED", 2, 1)
    assert report["errors"][0]["line"] == 2

    export = api(stack, token, "POST", "/exports").json()
    finished = wait_until_finished(stack, token, f"/exports/{export['exportId']}")
    assert (finished["status"], finished["itemCount"]) == ("COMPLETED", 2)
    downloaded = requests.get(stack.reachable(finished["downloadUrl"]), timeout=10)
    assert downloaded.status_code == 200
    assert sorted(json.loads(line)["name"] for line in downloaded.content.splitlines()) == ["Chair", "Lamp"]
