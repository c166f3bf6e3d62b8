"""Every sample in events/audit/ (the files `sam local invoke AuditFunction -e` uses) goes through the audit
function's handler on moto: nothing fails, item changes leave the expected entries, job records leave none."""

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.adapters.dynamodb_audit import DynamoDBAuditLog
from app.domain.resource_kinds import ITEMS
from tests.support.apigw import LambdaContext

EVENTS = Path(__file__).parents[3] / "events" / "audit"
SAMPLES = sorted(EVENTS.glob("*.json"))
OWNER = "8c3f5a1e-0d4b-4a7e-9a51-2f6e1b7c9d00"
ITEM_ID = "01JDQ4Z5V6W7X8Y9ZA0B1C2D3E"

# Per sample, the entries it leaves for the item, newest first: (event id, type, changes as {field: (old, new)}).
EXPECTED: dict[str, list[tuple[str, str, dict[str, tuple[Any, Any]]]]] = {
    "insert": [
        (
            "1b2e6d9f3c8e5f7a0b4d2c6e8f0a3b5d",
            "INSERT",
            {
                "name": (None, "Desk lamp"),
                "description": (None, "Brass"),
                "price": (None, Decimal("49.9")),
                "tags": (None, ["home", "light"]),
            },
        )
    ],
    "modify": [
        ("3d4a8f1b5e0a7b9c2d6f4e8a0b2c5d7f", "MODIFY", {"description": ("Brass", None)}),
        (
            "2c3f7e0a4d9f6a8b1c5e3d7f9a1b4c6e",
            "MODIFY",
            {"price": (Decimal("49.9"), Decimal("39.9")), "tags": (["home", "light"], ["home", "light", "sale"])},
        ),
    ],
    "remove": [
        (
            "5f6c0b3d7a2c9d1e4f8b6a0c2d4e7f9b",
            "REMOVE",
            {
                "name": ("Desk lamp", None),
                "price": (Decimal("39.9"), None),
                "tags": (["home", "light", "sale"], None),
            },
        )
    ],
}


def test_there_is_a_sample_for_each_change_type() -> None:
    assert {path.stem for path in SAMPLES} >= {"insert", "modify", "remove"}
    assert {path.stem for path in SAMPLES} <= set(EXPECTED)


@pytest.mark.parametrize("sample", SAMPLES, ids=[path.stem for path in SAMPLES])
def test_sample_batch_is_audited_without_failures(
    sample: Path, audit_handler: Callable[..., Any], names: dict[str, str], dynamodb: Any
) -> None:
    event = json.loads(sample.read_text())

    response = audit_handler(event, LambdaContext())

    assert response == {"batchItemFailures": []}
    log = DynamoDBAuditLog(client=dynamodb, table_name=names["AuditTable"])
    events = log.list_newest_first(kind=ITEMS, owner=OWNER, item_id=ITEM_ID, limit=100, after=None).entries
    recorded = [(e.event_id, e.type.value, {name: (c.old, c.new) for name, c in e.changes.items()}) for e in events]
    assert recorded == EXPECTED[sample.stem]
    assert {event.actor for event in events} == {OWNER}
