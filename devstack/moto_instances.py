"""Moto's model instances tracked weakly, so that an object moto no longer holds is freed.

Moto's BaseModel appends every instance it ever creates (each DynamoDB item, each deep copy of one, each stream
record, SQS message and S3 key) to a list on its class, for the dashboard at /moto-api/data.json. Nothing ever
removes them: an import of 6,000 lines into moto's server left 2.9 GB resident, almost all of it copies of the items
table that moto had made to roll back transactions that succeeded (measured with and without this module: 224 MB).
The dashboard still lists every live instance.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator
from typing import Any

from moto.core.common_models import BaseModel


class WeakInstances:
    """The list moto appends to, holding weak references (by id: moto's models are often unhashable)."""

    def __init__(self) -> None:
        self._instances: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()

    def append(self, instance: Any) -> None:
        with contextlib.suppress(TypeError):  # a model with __slots__ and no weak reference: not listed, not kept
            self._instances[id(instance)] = instance

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._instances.values()))

    def __len__(self) -> int:
        return len(self._instances)


def _new_weakly_tracked(cls: Any, *_args: Any, **_kwargs: Any) -> Any:
    instance = super(BaseModel, cls).__new__(cls)
    tracked = cls.__dict__.get("instances_tracked")
    if not isinstance(tracked, WeakInstances):  # a class's first instance, or after moto's reset put a list back
        tracked = cls.instances_tracked = WeakInstances()
    tracked.append(instance)
    return instance


def track_moto_instances_weakly() -> None:
    """Idempotent; for every moto service, this process only."""
    BaseModel.__new__ = _new_weakly_tracked  # type: ignore[method-assign]
