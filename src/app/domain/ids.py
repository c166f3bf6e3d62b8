"""Item ids that sort by creation time (ULID layout), so a descending Query lists newest first."""

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


def new_item_id() -> str:
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


def is_item_id(value: str) -> bool:
    return len(value) == 26 and all(char in _CROCKFORD for char in value)
