"""Owned, versioned resources: what each one declares (a ResourceKind), and the registry that keeps them apart.

Every resource lives in the one table, in its owner's partition (pk OWNER#<owner>), with sort keys
<key prefix><id> (the resource), <tombstone prefix><id> (its deletion record) and <creation prefix><key> (a create
under an idempotency key). The stream and the audit trail tell resources apart by the `entity` attribute. Two kinds
sharing a prefix or an entity name would read, list or audit each other's records, so the registry refuses them.

No models and no pydantic here: the audit function reads the registry to recognise stream images.
"""

from collections.abc import Iterable
from typing import NamedTuple

from app.domain.errors import DomainError
from app.domain.ids import is_resource_id, new_resource_id


class ResourceKind(NamedTuple):
    """What one owned, versioned resource declares; everything else is derived or shared.

    `noun` is the lowerCamel word for one resource ("item"): attribute names of its bookkeeping records (`item`,
    `itemId`) and API texts. `entity` ("Item") names its records' `entity` attribute and its operations (getItem).
    """

    entity: str
    noun: str
    collection: str  # the path segment of its routes: /items
    key_prefix: str
    tombstone_prefix: str
    creation_prefix: str
    client_fields: tuple[str, ...]  # the attributes a client sets, as stored (and as the stream shows them)
    not_found: type[DomainError]
    id_prefix: str = ""  # ids are <id_prefix><26-character ULID>

    def new_id(self) -> str:
        return self.id_prefix + new_resource_id()

    def is_id(self, value: str) -> bool:
        return value.startswith(self.id_prefix) and is_resource_id(value.removeprefix(self.id_prefix))

    @property
    def tombstone_entity(self) -> str:
        return f"{self.entity}Deletion"

    @property
    def creation_entity(self) -> str:
        return f"{self.entity}Creation"

    @property
    def prefixes(self) -> tuple[str, ...]:
        return (self.key_prefix, self.tombstone_prefix, self.creation_prefix)

    @property
    def entities(self) -> tuple[str, ...]:
        return (self.entity, self.tombstone_entity, self.creation_entity)


class OtherRecords(NamedTuple):
    """Records of the shared table that are not owned resources (jobs): their names are reserved too."""

    name: str
    entities: tuple[str, ...]
    prefixes: tuple[str, ...]


class DuplicateResourceError(ValueError):
    """Two kinds (or a kind and other records) claim the same entity name or overlapping key prefixes."""


class ResourceRegistry:
    """The kinds of the shared table, by entity name; refuses any kind that would collide with one already held."""

    def __init__(self, kinds: Iterable[ResourceKind] = (), *, others: Iterable[OtherRecords] = ()) -> None:
        self._kinds: dict[str, ResourceKind] = {}
        self._entities: dict[str, str] = {}  # entity name -> who claimed it
        self._prefixes: dict[str, str] = {}
        self._ignored: set[str] = set()
        for other in others:
            self._claim(other.name, other.entities, other.prefixes)
            self._ignored.update(other.entities)
        for kind in kinds:
            self.register(kind)

    def register(self, kind: ResourceKind) -> ResourceKind:
        self._claim(kind.entity, kind.entities, kind.prefixes)
        self._kinds[kind.entity] = kind
        self._ignored.update((kind.tombstone_entity, kind.creation_entity))
        return kind

    def kind_of(self, entity: object) -> ResourceKind | None:
        """The kind whose resource records carry this entity name, or None."""
        return self._kinds.get(entity) if isinstance(entity, str) else None

    def is_bookkeeping(self, entity: object) -> bool:
        """A known record that is no resource's change: tombstones, creation records, jobs."""
        return entity in self._ignored

    def kinds(self) -> tuple[ResourceKind, ...]:
        return tuple(self._kinds.values())

    def _claim(self, claimant: str, entities: tuple[str, ...], prefixes: tuple[str, ...]) -> None:
        taken_entities = list(self._entities)
        for entity in entities:
            if entity in taken_entities:
                raise DuplicateResourceError(f"{claimant}: entity name {entity!r} is taken")
            taken_entities.append(entity)
        taken_prefixes = list(self._prefixes)
        for prefix in prefixes:
            # begins_with(sk, prefix) would also find the records of a longer prefix that starts with it.
            clash = [held for held in taken_prefixes if held.startswith(prefix) or prefix.startswith(held)]
            if not prefix or clash:
                raise DuplicateResourceError(f"{claimant}: key prefix {prefix!r} overlaps {clash}")
            taken_prefixes.append(prefix)
        self._entities.update(dict.fromkeys(entities, claimant))
        self._prefixes.update(dict.fromkeys(prefixes, claimant))
