"""SnapStart runtime hooks: state drawn at init must not be shared by the environments restored from one snapshot.

With EnableSnapStart, Lambda runs init once per published version, snapshots the memory, and restores any number
of execution environments from that snapshot. Whatever init drew from the clock or from randomness is then the
same in all of them: the item-id generator's monotonic state (app.domain.ids) and the `random` module's state
(botocore's retry jitter, the bulk writer's backoff jitter). The hooks make both fresh in each environment.
Nothing else needs renewing: init creates clients and reads settings, but opens no connection and fetches no
secret (those happen on first use, after restore), and os.urandom is unique per restored environment.
"""

import random
from collections.abc import Callable
from typing import Any

from app.domain.ids import forget_last_id


def before_snapshot() -> None:
    forget_last_id()  # the snapshot carries no last id


def after_restore() -> None:
    forget_last_id()
    random.seed()  # from os.urandom, unique to this environment


def _registrars() -> tuple[Callable[..., Any], Callable[..., Any]] | None:
    try:
        # Provided by Lambda's Python runtime (3.12+) only; absent in tests, the local stack and sam local.
        import snapshot_restore_py  # type: ignore[import-not-found]
    except ImportError:
        return None
    return snapshot_restore_py.register_before_snapshot, snapshot_restore_py.register_after_restore


def register_hooks() -> bool:
    """Registers the hooks with the runtime; False where there is no runtime to register with (no snapshots)."""
    registrars = _registrars()
    if registrars is None:
        return False
    register_before_snapshot, register_after_restore = registrars
    register_before_snapshot(before_snapshot)
    register_after_restore(after_restore)
    return True
