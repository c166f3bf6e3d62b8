"""In-memory ItemRepository: the shared in-memory storage (tests/fakes/owned_records) for the ITEMS kind."""

from app.domain.resource_kinds import ITEMS
from app.models.items import ItemPublic
from app.services.items import ItemRecords
from tests.fakes.owned_records import InMemoryOwnedRecords


class InMemoryItemRepository(ItemRecords):
    def __init__(self) -> None:
        super().__init__(InMemoryOwnedRecords[ItemPublic](ITEMS))
