from hypothesis import given
from hypothesis import strategies as st

from app.domain.ids import is_item_id, new_item_id


def test_ids_are_ulids() -> None:
    assert is_item_id(new_item_id())


def test_ids_made_in_a_row_sort_in_creation_order() -> None:
    ids = [new_item_id() for _ in range(2000)]

    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


@given(st.text(max_size=40))
def test_is_item_id_accepts_only_26_crockford_characters(value: str) -> None:
    expected = len(value) == 26 and set(value) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert is_item_id(value) == expected
