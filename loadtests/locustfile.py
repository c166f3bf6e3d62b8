"""The service's load scenarios: an API user (CRUD mix with pagination, idempotent creates, conditional updates) and
an importer (presigned upload of a JSONL file, then the job polled until the worker finished it).

Tokens come from LOAD_TOKENS (a JSON list, or one token), one per simulated owner, so the run needs no identity
provider of its own: `python -m loadtests` issues them from the local Cognito, or takes a deployed stack's token.
Request names are route keys, so that thresholds.toml can set limits per route.
"""

import itertools
import json
import os
import random
import time
import uuid
from typing import Any

from locust import HttpUser, between, task
from locust.exception import RescheduleTask

from verify.ledger import record

_RAW_TOKENS = os.environ.get("LOAD_TOKENS", "").strip()
TOKENS = itertools.cycle(json.loads(_RAW_TOKENS) if _RAW_TOKENS.startswith("[") else [_RAW_TOKENS])
TRACKED_ITEMS = 50  # what one user remembers: enough to spread reads and updates, bounded in memory
AUDITED_AFTER_SECONDS = 10  # the audit log follows the table's stream: an item younger than this may have none yet
IMPORT_LINES = 50
IMPORT_DEADLINE_SECONDS = float(os.environ.get("LOAD_IMPORT_DEADLINE", "60"))


def new_item() -> dict[str, Any]:
    return {"name": f"load item {random.randint(0, 10**9)}", "price": 9.99, "tags": ["load"]}


class ItemsUser(HttpUser):
    """An owner using the items API; each expected answer is checked, anything else counts as a failure."""

    weight = 9
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {next(TOKENS)}"
        self.versions: dict[str, int] = {}  # item id -> the version this user last saw
        self.created: dict[str, float] = {}  # item id -> when this user created it

    def _remember(self, item: dict[str, Any]) -> None:
        self.versions[item["id"]] = item["version"]
        self.created.setdefault(item["id"], time.monotonic())
        if len(self.versions) > TRACKED_ITEMS:
            self.created.pop(oldest := next(iter(self.versions)), None)
            del self.versions[oldest]

    def _some_item(self) -> str:
        if not self.versions:
            raise RescheduleTask  # nothing created yet: pick another task
        return random.choice(list(self.versions))

    @task(3)
    def create_item(self) -> None:
        """Idempotent create; one in four sends the same key and body again and must get the first answer."""
        key, body = str(uuid.uuid4()), new_item()
        headers = {"Idempotency-Key": key}
        with self.client.post("/items", json=body, headers=headers, name="/items", catch_response=True) as created:
            if created.status_code != 201:
                created.failure(f"{created.status_code} {created.text[:200]}")
                return
            item = created.json()
            self._remember(item)
        if random.random() < 0.25:
            with self.client.post(
                "/items", json=body, headers=headers, name="/items (idempotent replay)", catch_response=True
            ) as replay:
                if replay.status_code != 201 or replay.json().get("id") != item["id"]:
                    replay.failure(f"replay gave {replay.status_code} {replay.text[:200]}, not item {item['id']}")

    @task(5)
    def list_items(self) -> None:
        """A first page, then up to two more through the signed cursor."""
        page = self.client.get("/items", params={"limit": 10}, name="/items").json()
        for _ in range(2):
            cursor = page.get("nextCursor")
            if not cursor:
                return
            page = self.client.get("/items", params={"limit": 10, "cursor": cursor}, name="/items?cursor").json()

    @task(5)
    def get_item(self) -> None:
        item_id = self._some_item()
        with self.client.get(f"/items/{item_id}", name="/items/{id}", catch_response=True) as response:
            if response.status_code != 200 or response.headers.get("ETag") != f'"{response.json()["version"]}"':
                response.failure(f"{response.status_code} {response.text[:200]} ETag {response.headers.get('ETag')}")

    @task(2)
    def replace_item(self) -> None:
        """PUT with If-Match of the version seen; one in five also retries with the now stale version: 412."""
        item_id = self._some_item()
        seen = self.versions[item_id]
        body = new_item() | {"name": "renamed"}
        with self.client.put(
            f"/items/{item_id}", json=body, headers={"If-Match": f'"{seen}"'}, name="/items/{id}", catch_response=True
        ) as replaced:
            if replaced.status_code != 200 or replaced.json()["version"] != seen + 1:
                replaced.failure(f"{replaced.status_code} {replaced.text[:200]}")
                return
            self._remember(replaced.json())
        if random.random() < 0.2:
            with self.client.put(
                f"/items/{item_id}",
                json=body,
                headers={"If-Match": f'"{seen}"'},
                name="/items/{id} (stale If-Match)",
                catch_response=True,
            ) as stale:
                if stale.status_code == 412:
                    stale.success()
                else:
                    stale.failure(f"a stale If-Match gave {stale.status_code}, not 412")

    @task(1)
    def delete_item(self) -> None:
        item_id = self._some_item()
        headers = {"If-Match": f'"{self.versions.pop(item_id)}"'}
        self.created.pop(item_id, None)
        self.client.delete(f"/items/{item_id}", headers=headers, name="/items/{id}")

    @task(1)
    def item_history(self) -> None:
        """The audit trail of an item old enough for its creation to have gone through the stream."""
        audited = [i for i, at in self.created.items() if time.monotonic() - at > AUDITED_AFTER_SECONDS]
        if not audited:
            raise RescheduleTask
        self.client.get(f"/items/{random.choice(audited)}/history", name="/items/{id}/history")


class ImportsUser(HttpUser):
    """A bulk import: POST /imports, the file straight to S3 with the presigned POST, then the job polled."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {next(TOKENS)}"

    @task
    def import_file(self) -> None:
        created = self.client.post("/imports", name="/imports")
        if created.status_code != 202:
            return
        job = created.json()
        # Under `make verify`, written down for its clean-up, which deletes what this user does not see finish.
        record(self.client.headers["Authorization"], "POST", "/imports", created.status_code, created.content)
        lines = "".join(json.dumps(new_item()) + "\n" for _ in range(IMPORT_LINES)).encode()
        started = time.perf_counter()
        # S3 takes no bearer token next to the presigned policy: None drops the session's Authorization header.
        uploaded = self.client.post(
            job["upload"]["url"],
            data=job["upload"]["fields"],
            files={"file": ("items.jsonl", lines, "application/x-ndjson")},
            headers={"Authorization": None},
            name="S3 presigned POST (imports/)",
        )
        if uploaded.status_code == 204:
            self._wait_for(job["importId"], started)

    def _wait_for(self, import_id: str, started: float) -> None:
        """Polls the job; its end-to-end time is reported as the pseudo-route 'JOB import file -> COMPLETED'."""
        report: dict[str, Any] = {}
        while time.perf_counter() - started < IMPORT_DEADLINE_SECONDS:
            report = self.client.get(f"/imports/{import_id}", name="/imports/{id}").json()
            if report.get("status") in ("COMPLETED", "FAILED"):
                break
            time.sleep(0.5)
        error = None
        if (report.get("status"), report.get("imported")) != ("COMPLETED", IMPORT_LINES):
            error = AssertionError(f"import {import_id} ended as {report}")
        self.environment.events.request.fire(
            request_type="JOB",
            name="import file -> COMPLETED",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )
        if report.get("status") in ("COMPLETED", "FAILED"):
            # The job and its file go: a load against a deployed stack (make verify) leaves no job behind.
            self.client.delete(f"/imports/{import_id}", name="/imports/{id}")
