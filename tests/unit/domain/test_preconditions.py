"""If-Match as RFC 9110 reads it (section 13.1.1), against items whose ETag is their quoted version."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.preconditions import ANY_VERSION, VersionCondition, etag, parse_if_match


def versions(*numbers: int) -> VersionCondition:
    return VersionCondition(versions=frozenset(numbers))


@pytest.mark.parametrize(
    ("header", "condition"),
    [
        ('"3"', versions(3)),
        ("*", ANY_VERSION),
        (" * ", ANY_VERSION),
        ('"1", "3"', versions(1, 3)),
        ('"1","3"', versions(1, 3)),
        ('"1" ,\t"3" , ', versions(1, 3)),  # optional whitespace and empty list elements (RFC 9110 5.6.1)
        (', "2"', versions(2)),
        ('"a,b", "4"', versions(4)),  # a comma inside an opaque tag does not split it
        ('W/"3"', versions()),  # weak tags never match under strong comparison
        ('W/"3", "5"', versions(5)),
        ('"03"', versions()),  # compared character by character: "03" is not "3"
        ('"0"', versions()),
        ('"abc"', versions()),
        ('"' + "9" * 18 + '"', versions(int("9" * 18))),
        ('"' + "9" * 19 + '"', versions()),  # longer than any version: never an item's ETag
        ('"' + "1" * 39 + '"', versions()),  # issue 8: 500 (Decimal Inexact in boto3)
        ('"' + "1" * 4301 + '"', versions()),  # issue 8: 500 (int conversion limit)
        ('"²"', versions()),  # issue 8: 500 ("²".isdigit() is true, int() fails)
        ('"٣"', versions()),  # an Arabic-Indic three is not the digit 3
        ("3", versions()),  # unquoted: not an entity tag
        ('"3', versions()),
        ('"3"x', versions()),
        ('*, "3"', versions()),  # * stands alone
        ("", versions()),
        ('"1" "2"', versions()),  # elements need a comma between them
    ],
)
def test_if_match_values(header: str, condition: VersionCondition) -> None:
    assert parse_if_match(header) == condition


def test_the_etag_of_a_version_is_its_own_if_match() -> None:
    assert parse_if_match(etag(42)) == versions(42)


@given(st.text())
def test_any_text_gives_a_condition_never_an_error(header: str) -> None:
    condition = parse_if_match(header)

    assert all(0 < version < 10**18 for version in condition.versions)


@given(st.lists(st.integers(min_value=1, max_value=10**17), min_size=1, max_size=10))
def test_a_list_of_etags_names_exactly_their_versions(numbers: list[int]) -> None:
    assert parse_if_match(", ".join(etag(number) for number in numbers)) == versions(*numbers)


def test_a_long_hostile_value_is_parsed_in_linear_time() -> None:
    # 200 KB of separators then garbage: a backtracking pattern would take minutes.
    assert parse_if_match('"1"' + " ," * 100_000 + " x") == versions()
