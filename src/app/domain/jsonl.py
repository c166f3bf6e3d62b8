"""Splits a byte stream into lines with their byte offsets, holding at most one line in memory.

Offsets let an import stop anywhere and resume with an S3 Range request at the start of the next line.
A line longer than the limit is reported without its content, so one huge line cannot exhaust memory.
"""

from collections.abc import Iterable, Iterator
from typing import NamedTuple

_NEWLINE = b"\n"


class Line(NamedTuple):
    content: bytes | None  # None: longer than the limit, skipped unread
    end_offset: int  # offset of the byte after the line's newline: where the next line starts


class _Splitter:
    def __init__(self, start_offset: int, max_line_bytes: int) -> None:
        self._pending = b""  # start of a line whose newline has not arrived yet
        self._offset = start_offset  # stream offset of the first byte of pending
        self._skipping = False  # inside an over-long line: drop bytes until its newline
        self._max = max_line_bytes

    def feed(self, chunk: bytes) -> Iterator[Line]:
        data = self._pending + chunk if self._pending else chunk
        start = 0
        while (end := data.find(_NEWLINE, start)) != -1:
            too_long = self._skipping or end - start > self._max
            yield Line(None if too_long else data[start:end], self._offset + end + 1)
            self._skipping = False
            start = end + 1
        self._keep(data, start)

    def finish(self) -> Iterator[Line]:
        if self._pending or self._skipping:
            yield Line(None if self._skipping else self._pending, self._offset + len(self._pending))

    def _keep(self, data: bytes, start: int) -> None:
        self._offset += start
        self._pending = data[start:]
        if self._skipping or len(self._pending) > self._max:
            self._skipping = True
            self._offset += len(self._pending)
            self._pending = b""


def split_lines(chunks: Iterable[bytes], *, start_offset: int, max_line_bytes: int) -> Iterator[Line]:
    """Lines of the stream that starts at `start_offset`, without their newline; a last line needs none."""
    splitter = _Splitter(start_offset, max_line_bytes)
    for chunk in chunks:
        yield from splitter.feed(chunk)
    yield from splitter.finish()
