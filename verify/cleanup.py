"""Removes what a verification created through the API: the import and export jobs its contract suite created
(DELETE /imports/{id}, /exports/{id}: the record and the file), then every record of each test user in every owned
collection openapi.json declares (DELETE /items/{id}, and a scaffolded resource's). Jobs go first: an import still
running would add items after the items were deleted.

A job that has not finished answers 409; it is asked again until it has (JOB_SETTLE_SECONDS at most). What stays by
design: the items' tombstones and creation records (24 h TTL), the history (AuditRetentionDays: the audit table
denies deletes), the old version of each deleted job file for a day (the versioned bucket's lifecycle), and the jobs
the fuzz created in its own process (verify/jobs.py; the load deletes the imports it saw finish), which TTL and
the lifecycle remove (JobFileRetentionDays).
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import requests

PAGE = 100
SETTLE_SECONDS = 20  # a list is an eventually consistent Query: a deleted record may be listed for a moment
SPEC = Path(__file__).resolve().parents[1] / "openapi.json"
# A contract test's import or export takes seconds; a queued one waits for the worker's next poll.
JOB_SETTLE_SECONDS = 120


def call(base_url: str, token: str, method: str, path: str, **options: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.request(method, f"{base_url}{path}", headers=headers, timeout=30, **options)


@cache  # read once per run: the e2e fixtures clean up before every test under make verify
def owned_collections(spec_path: Path = SPEC) -> list[str]:
    """The collections whose records a test user owns, read from openapi.json: a path listed by GET whose
    `<path>/{id}` answers DELETE (/items, and every resource `make resource` adds)."""
    paths: dict[str, dict[str, Any]] = json.loads(spec_path.read_text())["paths"]
    return sorted(
        path
        for path, operations in paths.items()
        if "get" in operations and "delete" in paths.get(f"{path}/{{id}}", {})
    )


def record_ids(base_url: str, token: str, collection: str) -> list[str]:
    """Every id a page of GET <collection> lists (the page's one list: items, customers...), page after page."""
    ids: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": PAGE} | ({"cursor": cursor} if cursor else {})
        page = call(base_url, token, "GET", collection, params=params)
        page.raise_for_status()
        body = page.json()
        ids += [record["id"] for field in body.values() if isinstance(field, list) for record in field]
        if not (cursor := body.get("nextCursor")):
            return ids


def delete_owned(base_url: str, token: str, collection: str = "/items") -> int:
    """Deletes every record of the token's user in a collection until none is listed; how many were deleted."""
    deleted = 0
    deadline = time.monotonic() + SETTLE_SECONDS
    while (ids := record_ids(base_url, token, collection)) and time.monotonic() < deadline:
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(
                pool.map(lambda id_: call(base_url, token, "DELETE", f"{collection}/{id_}").status_code, ids)
            )
        deleted += answers.count(204)
        time.sleep(0.2 if 204 not in answers else 0)
    if ids:
        raise RuntimeError(f"{len(ids)} records still listed in {collection} after {SETTLE_SECONDS} s of deletes")
    return deleted


def delete_everything_owned(base_url: str, token: str) -> dict[str, int]:
    """Each owned collection, in owned_collections' order -> how many of the user's records were deleted."""
    return {collection: delete_owned(base_url, token, collection) for collection in owned_collections()}


def delete_jobs(base_url: str, token: str, paths: list[str], settle_seconds: float = JOB_SETTLE_SECONDS) -> int:
    """Deletes the jobs at `paths` (/imports/<id>, /exports/<id>), asking again for those not finished (409) until
    `settle_seconds` have passed; how many were deleted. A job already gone (404: its test deleted it) is not
    counted; any other answer, or a job still unfinished at the end, is a RuntimeError naming them."""
    deleted, left = 0, list(paths)
    deadline = time.monotonic() + settle_seconds
    while left:
        answers = _delete_once(base_url, token, left)
        deleted += list(answers.values()).count(204)
        left = [path for path, status in answers.items() if status == 409]
        if left and time.monotonic() >= deadline:
            raise RuntimeError(f"{len(left)} jobs still unfinished after {settle_seconds} s: {', '.join(left)}")
        time.sleep(1 if left else 0)
    return deleted


def _delete_once(base_url: str, token: str, paths: list[str]) -> dict[str, int]:
    answers = {path: call(base_url, token, "DELETE", path).status_code for path in paths}
    if failed := {path: status for path, status in answers.items() if status not in (204, 404, 409)}:
        raise RuntimeError(f"job deletes answered {failed}")
    return answers
