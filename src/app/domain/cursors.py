"""Opaque pagination cursors, signed with HMAC and bound to their owner.

A cursor is `<payload>.<signature>` in base64url. The signature covers the owner too, so a cursor
altered in any way, or presented by another owner, fails verification instead of revealing anything.
"""

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable

from app.domain.errors import InvalidCursorError

_SIGNATURE_BYTES = 16
_MAX_CURSOR_LENGTH = 512


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    """Encodes a position (an opaque string such as an item id) for one owner."""

    def __init__(self, key: Callable[[], bytes]) -> None:
        # The key is fetched on first use, not at cold start: most requests never touch a cursor.
        self._key = key

    def _sign(self, owner: str, payload: str) -> bytes:
        message = f"{owner}\n{payload}".encode()
        return hmac.new(self._key(), message, hashlib.sha256).digest()[:_SIGNATURE_BYTES]

    def encode(self, owner: str, position: str) -> str:
        payload = _b64encode(position.encode())
        return f"{payload}.{_b64encode(self._sign(owner, payload))}"

    def decode(self, owner: str, cursor: str) -> str:
        payload, _, signature = cursor.partition(".")
        if len(cursor) > _MAX_CURSOR_LENGTH or not payload or not signature:
            raise InvalidCursorError()
        try:
            given = _b64decode(signature)
            position = _b64decode(payload).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            raise InvalidCursorError() from error
        if not hmac.compare_digest(given, self._sign(owner, payload)):
            raise InvalidCursorError()
        return position
