"""Every owned resource of the shared table, declared once: the stream, the audit trail and the adapters read these.

A new resource adds its ResourceKind here (and its own models, routes and adapter on the shared machinery); the
registry refuses it if a name or a key prefix is already taken. Items' names are the stored ones: existing data reads.
"""

from app.domain import errors
from app.domain.resources import OtherRecords, ResourceKind, ResourceRegistry

ITEMS = ResourceKind(
    entity="Item",
    noun="item",
    collection="items",
    key_prefix="ITEM#",
    tombstone_prefix="DELETED#",
    creation_prefix="CREATE#",
    client_fields=("name", "description", "price", "tags"),
    not_found=errors.ItemNotFoundError,
)

# make resource: kinds above

# Import and export jobs share the table (adapters/job_attributes, dynamodb_jobs): not audited, never reused.
JOBS = OtherRecords(name="jobs", entities=("Import", "Export"), prefixes=("IMPORT#", "EXPORT#"))

RESOURCES = ResourceRegistry(
    (
        ITEMS,
        # make resource: registered kinds above
    ),
    others=(JOBS,),
)
