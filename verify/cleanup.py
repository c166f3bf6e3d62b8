"""Removes what a verification created through the API: every item of each test user (DELETE /items/{id}).

Jobs (imports, exports) and history have no delete route: TTL and the bucket's lifecycle remove them
(JobFileRetentionDays, AuditRetentionDays), and they belong to test users that no longer exist.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

PAGE = 100
SETTLE_SECONDS = 20  # GET /items is an eventually consistent Query: a deleted item may be listed for a moment


def call(base_url: str, token: str, method: str, path: str, **options: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.request(method, f"{base_url}{path}", headers=headers, timeout=30, **options)


def item_ids(base_url: str, token: str) -> list[str]:
    ids: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": PAGE} | ({"cursor": cursor} if cursor else {})
        page = call(base_url, token, "GET", "/items", params=params)
        page.raise_for_status()
        ids += [item["id"] for item in page.json()["items"]]
        if not (cursor := page.json().get("nextCursor")):
            return ids


def delete_items(base_url: str, token: str) -> int:
    """Deletes every item of the token's user until none is listed; how many were deleted."""
    deleted = 0
    deadline = time.monotonic() + SETTLE_SECONDS
    while (ids := item_ids(base_url, token)) and time.monotonic() < deadline:
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda item: call(base_url, token, "DELETE", f"/items/{item}").status_code, ids))
        deleted += answers.count(204)
        time.sleep(0.2 if 204 not in answers else 0)
    if ids:
        raise RuntimeError(f"{len(ids)} items still listed after {SETTLE_SECONDS} s of deletes")
    return deleted
