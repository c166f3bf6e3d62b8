"""A second owned resource for tests of the shared machinery: every name and prefix of its own."""

from app.domain.errors import ItemNotFoundError
from app.domain.resources import ResourceKind

CUSTOMERS = ResourceKind(
    entity="Customer",
    noun="customer",
    collection="customers",
    key_prefix="CUSTOMER#",
    tombstone_prefix="CUSTOMER_DELETED#",
    creation_prefix="CUSTOMER_CREATE#",
    client_fields=("name", "email"),
    not_found=ItemNotFoundError,
)
