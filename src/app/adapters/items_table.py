"""The items' names in the shared table (app.adapters.owned_table): what the item adapters and the jobs read.

No models: the audit function reads item images off the stream with this module alone, without pydantic.
"""

from typing import Any

from app.adapters.owned_table import OWNER_PREFIX, from_attributes, owner_key, record_key, to_attributes
from app.domain.resource_kinds import ITEMS

# Re-exported: the jobs' adapters and the stream reader take the table's layout from here.
__all__ = [
    "CLIENT_FIELDS",
    "ENTITY_TYPE",
    "ITEM_PREFIX",
    "OWNER_PREFIX",
    "from_attributes",
    "item_key",
    "owner_key",
    "to_attributes",
]

ITEM_PREFIX = ITEMS.key_prefix
ENTITY_TYPE = ITEMS.entity
# The attributes a client sets on an item; tests/unit checks them against the item models.
CLIENT_FIELDS = ITEMS.client_fields


def item_key(owner: str, item_id: str) -> dict[str, Any]:
    return record_key(ITEMS, owner, item_id)
