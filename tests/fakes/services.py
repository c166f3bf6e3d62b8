"""ApiServices built on in-memory adapters, for unit tests and the warm-path benchmark."""

from app.domain.cursors import CursorCodec
from app.domain.errors import IdempotencyKeyReusedError
from app.models.items import ItemCreate, ItemPublic
from app.services.history import HistoryService
from app.services.items import ItemService
from app.wiring import ApiServices
from tests.fakes.audit import InMemoryAuditLog
from tests.fakes.items import InMemoryItemRepository
from tests.fakes.jobs import InMemoryJobs


class InMemoryIdempotentCreates:
    """Replays the first result of (owner, key); a different body under the same key is refused."""

    def __init__(self, items: ItemService) -> None:
        self._items = items
        self._results: dict[tuple[str, str], tuple[ItemCreate, ItemPublic]] = {}

    def register_lambda_context(self, context: object) -> None:
        """Nothing expires in memory."""

    def create_item(self, *, owner: str, key: str, item_in: ItemCreate) -> ItemPublic:
        if (owner, key) in self._results:
            first_body, first_result = self._results[(owner, key)]
            if first_body != item_in:
                raise IdempotencyKeyReusedError()
            return first_result
        created = self._items.create_item(owner=owner, item_in=item_in)
        self._results[(owner, key)] = (item_in, created)
        return created


def in_memory_services(
    repository: InMemoryItemRepository | None = None,
    audit_log: InMemoryAuditLog | None = None,
    jobs: InMemoryJobs | None = None,
) -> ApiServices:
    cursors = CursorCodec(lambda: b"test-key")
    repository = repository or InMemoryItemRepository()
    items = ItemService(repository=repository, cursors=cursors)
    history = HistoryService(log=audit_log or InMemoryAuditLog(), items=repository, cursors=cursors)
    job_service = (jobs or InMemoryJobs()).service()
    creates = InMemoryIdempotentCreates(items)
    # make resource: fake services above
    return ApiServices(
        items=lambda: items,
        idempotent_creates=lambda: creates,
        history=lambda: history,
        jobs=lambda: job_service,
        # make resource: fakes above
    )
