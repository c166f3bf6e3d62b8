from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.audit import (
    ChangeType,
    FieldValues,
    ItemChange,
    changed_fields,
    history_position,
    is_history_position,
)
from app.domain.resource_kinds import ITEMS

AT = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
CHANGE = ItemChange(
    event_id="c4ca4238a0b923820dcc509a6f75849b",
    sequence_number="100000000000000000001",
    type=ChangeType.MODIFY,
    owner="alice",
    item_id="01JDQ4Z5V6W7X8Y9ZA0B1C2D3E",
    at=AT,
    actor="alice",
    old={},
    new={},
    kind=ITEMS,
)
LAMP = {"name": "Lamp", "price": Decimal("49.90"), "tags": ["home"]}


def test_an_insert_lists_every_field_with_old_none() -> None:
    assert changed_fields({}, LAMP) == {
        "name": FieldValues(old=None, new="Lamp"),
        "price": FieldValues(old=None, new=Decimal("49.90")),
        "tags": FieldValues(old=None, new=["home"]),
    }


def test_a_remove_lists_every_field_with_new_none() -> None:
    assert changed_fields(LAMP, {}) == {
        "name": FieldValues(old="Lamp", new=None),
        "price": FieldValues(old=Decimal("49.90"), new=None),
        "tags": FieldValues(old=["home"], new=None),
    }


def test_a_modify_lists_only_what_differs() -> None:
    after = LAMP | {"price": Decimal("39.9"), "description": "Brass"}

    assert changed_fields(LAMP, after) == {
        "description": FieldValues(old=None, new="Brass"),
        "price": FieldValues(old=Decimal("49.90"), new=Decimal("39.9")),
    }


def test_a_write_that_changes_no_field_lists_nothing() -> None:
    assert changed_fields(LAMP, dict(LAMP)) == {}


def test_position_is_time_then_padded_sequence_then_event_id() -> None:
    assert history_position(CHANGE) == (
        "2026-11-28T10:00:00Z#0000000000000000000100000000000000000001#c4ca4238a0b923820dcc509a6f75849b"
    )


def test_position_is_in_utc_whatever_the_changes_time_zone() -> None:
    elsewhere = CHANGE._replace(at=AT.astimezone(datetime.now().astimezone().tzinfo))

    assert history_position(elsewhere) == history_position(CHANGE)


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(10**20, 10**40 - 1)),
        min_size=2,
        max_size=10,
        unique=True,
    )
)
def test_positions_sort_by_time_then_numeric_sequence(moments: list[tuple[int, int]]) -> None:
    changes = [
        CHANGE._replace(at=AT + timedelta(seconds=offset), sequence_number=str(sequence), event_id=f"e{n}")
        for n, (offset, sequence) in enumerate(moments)
    ]

    by_position = sorted(changes, key=history_position)

    assert by_position == sorted(changes, key=lambda change: (change.at, int(change.sequence_number)))


@pytest.mark.parametrize(
    ("sequence_number", "event_id"),
    [("12a", "e1"), ("1" * 41, "e1"), ("", "e1"), ("1", "has#hash"), ("1", "")],
)
def test_malformed_sequence_number_or_event_id_is_refused(sequence_number: str, event_id: str) -> None:
    with pytest.raises(ValueError, match="malformed"):
        history_position(CHANGE._replace(sequence_number=sequence_number, event_id=event_id))


@pytest.mark.parametrize("value", ["01JDQ4Z5V6W7X8Y9ZA0B1C2D3E", "", "2026-11-28T10:00:00Z#1#e", "x" * 80])
def test_other_strings_are_not_positions(value: str) -> None:
    assert not is_history_position(value)


def test_a_position_is_recognised() -> None:
    assert is_history_position(history_position(CHANGE))
