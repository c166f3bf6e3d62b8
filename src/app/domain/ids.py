"""Resource ids that sort by creation time (ULID layout), so a descending Query lists newest first.

Items and jobs take these ids as they are; a ResourceKind may put a prefix of its own in front (resources.py).
"""

import hashlib
import os
import threading
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ENTROPY_BITS = 80
_lock = threading.Lock()
_last: tuple[int, int] = (0, 0)


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, index = divmod(value, 32)
        chars.append(_CROCKFORD[index])
    return "".join(reversed(chars))


def new_resource_id() -> str:
    """48 bits of milliseconds then 80 random bits, as 26 Crockford base32 characters.

    Within one millisecond the random part is incremented instead of redrawn (monotonic ULID), so ids
    made by one container always sort in creation order.
    """
    global _last  # noqa: PLW0603 - process-wide monotonic state is the point
    with _lock:
        now_ms = time.time_ns() // 1_000_000
        last_ms, last_entropy = _last
        if now_ms <= last_ms and last_entropy + 1 < 2**_ENTROPY_BITS:
            now_ms, entropy = last_ms, last_entropy + 1
        else:
            entropy = int.from_bytes(os.urandom(_ENTROPY_BITS // 8), "big")
        _last = (now_ms, entropy)
    return _encode(now_ms, 10) + _encode(entropy, 16)


def forget_last_id() -> None:
    """The next id draws fresh randomness instead of continuing from the last one (SnapStart hooks, app.snapstart).

    Environments restored from one snapshot share `_last`: if a restored clock reads no later than the snapshot's
    last id, each would increment the same random part and make the same ids.
    """
    global _last  # noqa: PLW0603 - see new_resource_id
    with _lock:
        _last = (0, 0)


def is_resource_id(value: str) -> bool:
    return len(value) == 26 and all(char in _CROCKFORD for char in value)


# Items' and jobs' ids are plain resource ids; their callers (jobs, imports, benches, tests) keep these names.
new_item_id = new_resource_id
is_item_id = is_resource_id


def derived_item_id(source_id: str, line: int) -> str:
    """The id of the item imported from `line` of import `source_id`: the same inputs always give the same id.

    The time part is the import's (so imported items sort by when the import was created, among all items),
    then 32 bits of the line number (so they sort in file order among themselves), then 48 bits of a hash of
    (import, line) that keep two imports created in the same millisecond apart.
    """
    if not is_resource_id(source_id) or not 0 < line < 2**32:
        raise ValueError("derived ids need an item-id-shaped source id and a line in 1..2^32-1")
    digest = hashlib.sha256(f"{source_id}:{line}".encode()).digest()
    entropy = (line << 48) | int.from_bytes(digest[:6], "big")
    return source_id[:10] + _encode(entropy, 16)
