"""Export rules: every item of the owner, oldest first, one JSON line each in the shape of GET /items/{id}."""

from collections.abc import Iterable
from typing import Protocol

from app.domain.jobs import export_key
from app.models.items import ItemPublic
from app.models.jobs import ExportJob


class ExportRecords(Protocol):
    def complete_export(self, *, owner: str, export_id: str, item_count: int) -> None: ...


class ItemSource(Protocol):
    def all_items(self, *, owner: str) -> Iterable[ItemPublic]: ...


class FileUpload(Protocol):
    def write(self, data: bytes) -> None: ...

    def complete(self) -> None: ...

    def abort(self) -> None: ...


class ExportFiles(Protocol):
    def open_upload(self, *, key: str) -> FileUpload: ...


def export_line(item: ItemPublic) -> bytes:
    # The same serialisation the resolver applies to a GET /items/{id} response: aliases, JSON mode, nulls kept.
    return item.model_dump_json(by_alias=True).encode() + b"\n"


class ExportProcessor:
    def __init__(self, *, records: ExportRecords, items: ItemSource, files: ExportFiles) -> None:
        self._records = records
        self._items = items
        self._files = files

    def run(self, job: ExportJob) -> int:
        """Writes the file and completes the job; returns the number of items exported.

        A redelivery writes the whole file again: the object is only visible once complete, so a reader
        never sees a partial export, and the job completes with the count of the file that was written.
        """
        upload = self._files.open_upload(key=export_key(job.owner, job.export_id))
        count = 0
        try:
            for item in self._items.all_items(owner=job.owner):
                upload.write(export_line(item))
                count += 1
            upload.complete()
        except BaseException:
            upload.abort()
            raise
        self._records.complete_export(owner=job.owner, export_id=job.export_id, item_count=count)
        return count
