"""Object keys of jobs: one prefix per owner, and the key of an upload parses back to its owner and job."""

from urllib.parse import quote_plus

import pytest

from app.domain.jobs import export_key, import_key, parse_import_key

IMPORT_ID = "01JDQ7Z8X0ABCDEFGHJKMNPQRS"


def test_keys_put_each_owner_under_its_own_prefix() -> None:
    assert import_key("alice", IMPORT_ID) == f"imports/alice/{IMPORT_ID}.jsonl"
    assert export_key("alice", IMPORT_ID) == f"exports/alice/{IMPORT_ID}.jsonl"


@pytest.mark.parametrize("owner", ["alice", "auth0|123", "a/b", "with space"])
def test_an_import_key_parses_back_even_url_encoded(owner: str) -> None:
    encoded = quote_plus(import_key(owner, IMPORT_ID), safe="/")

    assert parse_import_key(encoded) == (owner, IMPORT_ID)


@pytest.mark.parametrize(
    "key",
    [f"exports/alice/{IMPORT_ID}.jsonl", f"imports/{IMPORT_ID}.jsonl", "imports/alice/nope.jsonl", "imports/alice/x"],
)
def test_other_keys_are_not_imports(key: str) -> None:
    assert parse_import_key(key) is None
