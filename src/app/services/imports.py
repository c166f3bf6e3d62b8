"""Import rules: validate each line like POST /items, write valid items in chunks, report rejected lines.

Each chunk's items are written in one transaction with its commit to the job record (the new file position
and counters), on the condition that the record is still at the chunk's starting line. So a redelivered or
duplicated message resumes from the last commit, counts and writes every line exactly once, and a worker
that lost the race stops. Item ids derive from (import, line), so no two lines can become one item.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from typing import NamedTuple, Protocol

from pydantic import ValidationError

from app.domain.errors import ImportFileTooLargeError
from app.domain.ids import derived_item_id
from app.domain.jobs import MAX_ERROR_MESSAGE_CHARS, MAX_LINE_BYTES, MAX_REPORTED_ERRORS, ImportContinued, import_key
from app.domain.jsonl import Line, split_lines
from app.models.items import ItemCreate, ItemPublic
from app.models.jobs import ImportJob, ImportProgress, LineError

CHUNK_ITEMS = 25  # with the commit, 26 actions of one TransactWriteItems (at most 100, 4 MB: 25 x 64 KiB lines fit)
CHUNK_MAX_LINES = 1000  # commits (and time checks) also happen in long runs of rejected or blank lines
_BOM = b"\xef\xbb\xbf"


class ImportRecords(Protocol):
    def commit_import_chunk(self, job: ImportJob, items: Sequence[ItemPublic], progress: ImportProgress) -> bool:
        """Writes the items and commits the progress atomically; False if the job is no longer at job.next_line."""
        ...


class HandOvers(Protocol):
    def hand_over(self, *, owner: str, kind: str, job_id: str, generation: int) -> None: ...


class ImportFiles(Protocol):
    def size(self, *, key: str, version_id: str | None) -> int:
        """The object's size in bytes; raises ImportFileMissingError if it is gone."""
        ...

    def read(self, *, key: str, version_id: str | None, offset: int) -> Iterable[bytes]: ...


class Continuations(Protocol):
    def send(self, message: ImportContinued) -> None: ...


class ImportOutcome(StrEnum):
    COMPLETED = "COMPLETED"
    CONTINUED = "CONTINUED"  # time ran low: a continuation message carries on from the committed position
    SUPERSEDED = "SUPERSEDED"  # another delivery of the same job committed first; it carries on


class ImportRun(NamedTuple):
    """What one invocation did: how it stopped, and the job as it committed it last."""

    outcome: ImportOutcome
    job: ImportJob


def describe(error: ValidationError) -> str:
    problems = "; ".join(
        f"{'.'.join(str(part) for part in problem['loc']) or 'line'}: {problem['msg']}" for problem in error.errors()
    )
    return problems[:MAX_ERROR_MESSAGE_CHARS]


class _Chunk:
    """The lines read since the last commit."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.items: list[ItemPublic] = []
        self.errors: list[LineError] = []
        self.rejected = 0
        self.lines = 0
        self.end_offset = job.next_offset

    @property
    def full(self) -> bool:
        return len(self.items) >= CHUNK_ITEMS or self.lines >= CHUNK_MAX_LINES

    def add(self, number: int, line: Line) -> None:
        self.lines += 1
        self.end_offset = line.end_offset
        content = line.content
        if content is None:
            self._reject(number, f"line: longer than {MAX_LINE_BYTES} bytes")
            return
        if number == 1:
            content = content.removeprefix(_BOM)
        if not content.strip():
            return  # blank lines (a trailing newline, a separator) are neither items nor errors
        try:
            item_in = ItemCreate.model_validate_json(content)
        except ValidationError as error:
            self._reject(number, describe(error))
            return
        created = self.job.created_at  # fixed per import: writing the line again writes the same item
        self.items.append(
            ItemPublic(
                **item_in.model_dump(),
                id=derived_item_id(self.job.import_id, number),
                version=1,
                created_at=created,
                updated_at=created,
            )
        )

    def progress(self, *, finished: bool) -> ImportProgress:
        return ImportProgress(
            next_line=self.job.next_line + self.lines,
            next_offset=self.end_offset,
            imported=len(self.items),
            rejected=self.rejected,
            errors=tuple(self.errors),
            finished=finished,
        )

    def _reject(self, number: int, message: str) -> None:
        self.rejected += 1
        if len(self.job.errors) + len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(LineError(line=number, message=message))


class ImportProcessor:
    def __init__(
        self,
        *,
        records: ImportRecords,
        hand_overs: HandOvers,
        files: ImportFiles,
        continuations: Continuations,
        min_remaining_ms: int,
        max_bytes: int,
    ) -> None:
        self._records = records
        self._hand_overs = hand_overs
        self._files = files
        self._continuations = continuations
        self._min_remaining_ms = min_remaining_ms
        self._max_bytes = max_bytes

    def run(self, job: ImportJob, *, remaining_ms: Callable[[], int]) -> ImportRun:
        """Imports from the job's position until the end of the file or until time runs low.

        Raises ImportFileMissingError or ImportFileTooLargeError (nothing imported) when the job cannot run.
        """
        if job.next_offset == 0:
            self._check_size(job)
        chunk = _Chunk(job)
        for number, line in self._lines(job):
            chunk.add(number, line)
            if not chunk.full:
                continue
            advanced = self._commit(chunk, finished=False)
            if advanced is None:
                return ImportRun(ImportOutcome.SUPERSEDED, chunk.job)
            if remaining_ms() < self._min_remaining_ms:
                self._continue_later(advanced)
                return ImportRun(ImportOutcome.CONTINUED, advanced)
            chunk = _Chunk(advanced)
        finished = self._commit(chunk, finished=True)
        if finished is None:
            return ImportRun(ImportOutcome.SUPERSEDED, chunk.job)
        return ImportRun(ImportOutcome.COMPLETED, finished)

    def _continue_later(self, job: ImportJob) -> None:
        generation = job.generation + 1
        carried = job.model_dump(include={"owner", "import_id", "version_id", "request_id"})
        self._continuations.send(ImportContinued(**carried, generation=generation))
        # Sent, then recorded (older messages are stale from then on): a run killed in between leaves two, never none.
        self._hand_overs.hand_over(owner=job.owner, kind="import", job_id=job.import_id, generation=generation)

    def _check_size(self, job: ImportJob) -> None:
        # The presigned POST's policy bounds the upload, but the worker does not trust what it did not check.
        size = self._files.size(key=import_key(job.owner, job.import_id), version_id=job.version_id)
        if size > self._max_bytes:
            raise ImportFileTooLargeError(
                f"The uploaded file has {size} bytes, more than the {self._max_bytes} bytes an import may have;"
                " nothing was imported."
            )

    def _lines(self, job: ImportJob) -> Iterator[tuple[int, Line]]:
        chunks = self._files.read(
            key=import_key(job.owner, job.import_id), version_id=job.version_id, offset=job.next_offset
        )
        lines = split_lines(chunks, start_offset=job.next_offset, max_line_bytes=MAX_LINE_BYTES)
        return enumerate(lines, start=job.next_line)

    def _commit(self, chunk: _Chunk, *, finished: bool) -> ImportJob | None:
        progress = chunk.progress(finished=finished)
        if not self._records.commit_import_chunk(chunk.job, chunk.items, progress):
            return None
        return chunk.job.advanced(progress)
