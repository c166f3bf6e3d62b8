"""split_lines: every line exactly once, with the offset where the next one starts, whatever the chunking."""

from hypothesis import given
from hypothesis import strategies as st

from app.domain.jsonl import Line, split_lines


def chunked(data: bytes, sizes: list[int]) -> list[bytes]:
    chunks, start = [], 0
    for size in sizes:
        chunks.append(data[start : start + size])
        start += size
    chunks.append(data[start:])
    return [chunk for chunk in chunks if chunk]


def test_lines_carry_the_offset_after_their_newline() -> None:
    lines = list(split_lines([b"ab\ncd", b"e\n\nf"], start_offset=0, max_line_bytes=100))

    assert lines == [Line(b"ab", 3), Line(b"cde", 7), Line(b"", 8), Line(b"f", 9)]


def test_a_trailing_newline_makes_no_extra_line() -> None:
    assert [line.content for line in split_lines([b"a\nb\n"], start_offset=0, max_line_bytes=10)] == [b"a", b"b"]


def test_offsets_continue_from_the_start_offset() -> None:
    lines = list(split_lines([b"x\ny"], start_offset=1000, max_line_bytes=10))

    assert [line.end_offset for line in lines] == [1002, 1003]


def test_an_over_long_line_is_reported_without_content_and_the_next_one_is_intact() -> None:
    data = b"ok\n" + b"z" * 50 + b"\nnext\n"

    lines = list(split_lines(chunked(data, [4, 4, 4, 4, 30]), start_offset=0, max_line_bytes=10))

    assert lines == [Line(b"ok", 3), Line(None, 54), Line(b"next", 59)]


def test_an_over_long_last_line_without_newline_is_reported() -> None:
    assert list(split_lines([b"a\n", b"b" * 20], start_offset=0, max_line_bytes=10)) == [Line(b"a", 2), Line(None, 22)]


@given(
    lines=st.lists(st.binary(max_size=30).map(lambda raw: raw.replace(b"\n", b"")), max_size=20),
    sizes=st.lists(st.integers(min_value=1, max_value=17), max_size=30),
    trailing_newline=st.booleans(),
    limit=st.integers(min_value=0, max_value=40),
)
def test_any_chunking_gives_the_same_lines_and_offsets(
    lines: list[bytes], sizes: list[int], trailing_newline: bool, limit: int
) -> None:
    data = b"\n".join(lines) + (b"\n" if trailing_newline and lines else b"")

    result = list(split_lines(chunked(data, sizes), start_offset=0, max_line_bytes=limit))

    expected, offset = [], 0
    for index, line in enumerate(lines):
        is_last = index == len(lines) - 1
        offset += len(line) + (0 if is_last and not trailing_newline else 1)
        if is_last and not trailing_newline and not line:
            break  # an empty last line without newline is no line
        expected.append(Line(line if len(line) <= limit else None, offset))
    assert result == expected


@given(data=st.binary(max_size=200), cut=st.integers(min_value=0, max_value=200))
def test_resuming_at_any_line_end_yields_the_rest(data: bytes, cut: int) -> None:
    everything = list(split_lines([data], start_offset=0, max_line_bytes=1000))
    ends = [0, *(line.end_offset for line in everything)]
    resume_at = max(end for end in ends if end <= cut)

    rest = list(split_lines([data[resume_at:]], start_offset=resume_at, max_line_bytes=1000))

    assert rest == [line for line in everything if line.end_offset > resume_at]
