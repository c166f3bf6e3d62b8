import pytest

from app.domain.cursors import CursorCodec
from app.domain.errors import InvalidCursorError

codec = CursorCodec(lambda: b"k" * 32)


def test_round_trip_for_the_same_owner() -> None:
    assert codec.decode("alice", codec.encode("alice", "01HPOSITION")) == "01HPOSITION"


def test_cursor_is_opaque() -> None:
    assert "01HPOSITION" not in codec.encode("alice", "01HPOSITION")


def test_another_owner_cannot_use_it() -> None:
    with pytest.raises(InvalidCursorError):
        codec.decode("mallory", codec.encode("alice", "01HPOSITION"))


def test_another_key_rejects_it() -> None:
    with pytest.raises(InvalidCursorError):
        CursorCodec(lambda: b"other").decode("alice", codec.encode("alice", "01HPOSITION"))


def test_every_single_character_change_is_rejected() -> None:
    cursor = codec.encode("alice", "01HPOSITION")
    for index, char in enumerate(cursor):
        for replacement in "A_-.":
            if replacement == char:
                continue
            tampered = cursor[:index] + replacement + cursor[index + 1 :]
            with pytest.raises(InvalidCursorError):
                codec.decode("alice", tampered)


@pytest.mark.parametrize("cursor", ["", ".", "abc", "abc.", ".abc", "!!!.###", "a" * 600, "YWJj.====="])
def test_malformed_cursors_are_rejected(cursor: str) -> None:
    with pytest.raises(InvalidCursorError):
        codec.decode("alice", cursor)


def test_key_is_read_lazily() -> None:
    calls: list[int] = []

    def key() -> bytes:
        calls.append(1)
        return b"k"

    lazy = CursorCodec(key)
    assert calls == []
    lazy.encode("alice", "x")
    assert calls == [1]
