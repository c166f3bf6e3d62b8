"""derived_item_id: the same (import, line) always gives the same id; ids sort by import time, then by line."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.ids import derived_item_id, is_item_id, new_item_id

IMPORT_ID = "01JDQ7Z8X0ABCDEFGHJKMNPQRS"


def test_same_import_and_line_give_the_same_id() -> None:
    assert derived_item_id(IMPORT_ID, 7) == derived_item_id(IMPORT_ID, 7)


def test_ids_are_item_ids_with_the_imports_time() -> None:
    item_id = derived_item_id(IMPORT_ID, 1)

    assert is_item_id(item_id)
    assert item_id[:10] == IMPORT_ID[:10]


@given(lines=st.lists(st.integers(min_value=1, max_value=2**32 - 1), min_size=2, max_size=50, unique=True))
def test_ids_of_one_import_sort_by_line(lines: list[int]) -> None:
    ids = {line: derived_item_id(IMPORT_ID, line) for line in lines}

    assert sorted(ids, key=ids.__getitem__) == sorted(lines)


def test_two_imports_in_the_same_millisecond_get_different_ids() -> None:
    other = IMPORT_ID[:10] + "ZZZZZZZZZZZZZZZZ"

    assert derived_item_id(IMPORT_ID, 1) != derived_item_id(other, 1)


def test_an_import_one_millisecond_later_sorts_after_all_lines_of_the_earlier_one() -> None:
    earlier, later = "01JDQ7Z8X0" + "Z" * 16, "01JDQ7Z8X1" + "0" * 16

    assert derived_item_id(earlier, 2**32 - 1) < derived_item_id(later, 1)
    assert derived_item_id(later, 1) < new_item_id()


@pytest.mark.parametrize(("source", "line"), [("not-an-id", 1), (IMPORT_ID, 0), (IMPORT_ID, 2**32)])
def test_bad_inputs_are_refused(source: str, line: int) -> None:
    with pytest.raises(ValueError, match="derived ids"):
        derived_item_id(source, line)
