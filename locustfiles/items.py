"""A user of the items API: creates, reads, pages, updates and deletes its own items.

Tokens come from ITEMS_LOAD_TOKENS (a JSON list, one per simulated owner), so the run needs no identity
provider of its own: `python -m locustfiles.run` issues them from the local Cognito.
"""

import itertools
import json
import os
import random
from typing import Any

from locust import HttpUser, between, task

TOKENS = itertools.cycle(json.loads(os.environ.get("ITEMS_LOAD_TOKENS", "[]")) or [""])


class ItemsUser(HttpUser):
    wait_time = between(0.05, 0.2)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {next(TOKENS)}"
        self.item_ids: list[str] = []
        self.versions: dict[str, int] = {}

    @task(3)
    def create_item(self) -> None:
        body = {"name": f"load item {random.randint(0, 10**6)}", "price": 9.99, "tags": ["load"]}
        with self.client.post("/items", json=body, name="POST /items", catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"create: {response.status_code} {response.text[:200]}")
                return
            item: dict[str, Any] = response.json()
            self.item_ids.append(item["id"])
            self.versions[item["id"]] = item["version"]

    @task(5)
    def list_items(self) -> None:
        page = self.client.get("/items?limit=10", name="GET /items").json()
        if page.get("nextCursor"):
            self.client.get("/items", params={"limit": 10, "cursor": page["nextCursor"]}, name="GET /items (next page)")

    @task(5)
    def get_item(self) -> None:
        if self.item_ids:
            self.client.get(f"/items/{random.choice(self.item_ids)}", name="GET /items/{id}")

    @task(2)
    def replace_item(self) -> None:
        if not self.item_ids:
            return
        item_id = random.choice(self.item_ids)
        headers = {"If-Match": f'"{self.versions[item_id]}"'}
        response = self.client.put(
            f"/items/{item_id}", json={"name": "renamed"}, headers=headers, name="PUT /items/{id}"
        )
        if response.status_code == 200:
            self.versions[item_id] = response.json()["version"]

    @task(1)
    def delete_item(self) -> None:
        if self.item_ids:
            item_id = self.item_ids.pop(random.randrange(len(self.item_ids)))
            self.client.delete(f"/items/{item_id}", name="DELETE /items/{id}")
            self.versions.pop(item_id, None)
