"""make verify's clean-up finds the collections a test user owns records in from openapi.json: items and every
resource `make resource` adds, not the jobs (deleted by id) nor a record's history."""

import json
from pathlib import Path

from verify.cleanup import owned_collections

SPEC = Path(__file__).parents[3] / "openapi.json"


def test_the_collections_are_the_listed_paths_whose_records_can_be_deleted(tmp_path: Path) -> None:
    operation: dict[str, object] = {"responses": {}}
    spec = {
        "paths": {
            "/items": {"get": operation, "post": operation},
            "/items/{id}": {"get": operation, "put": operation, "delete": operation},
            "/items/{id}/history": {"get": operation},
            "/customers": {"get": operation, "post": operation},
            "/customers/{id}": {"get": operation, "delete": operation},
            "/imports": {"post": operation},
            "/imports/{id}": {"get": operation, "delete": operation},
            "/health": {"get": operation},
        }
    }
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(spec))

    assert owned_collections(path) == ["/customers", "/items"]


def test_the_committed_contract_owns_items() -> None:
    assert "/items" in owned_collections(SPEC)
