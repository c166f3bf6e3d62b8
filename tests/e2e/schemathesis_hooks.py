"""Schemathesis hooks (schemathesis.toml loads this module): the fuzzer keeps the clients' side of the contract.

An Idempotency-Key names one request: a replay returns the first response, even when the item it created has been
deleted or replaced since, and the same key with another body is 422 IDEMPOTENCY_KEY_REUSED. Both are the design
(tests/unit/api and tests/e2e check them), but generated keys repeat, and a stateful test would take a replayed
201 for a resource that should not exist. So each generated key gets a unique suffix.
"""

import uuid
from typing import Any

import schemathesis

from verify.ledger import record

_KEY = "idempotency-key"


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    headers = case.headers or {}
    name = next((header for header in headers if header.lower() == _KEY), None)
    if name is not None and isinstance(headers[name], str) and headers[name]:
        headers[name] = f"{headers[name][:95]}-{uuid.uuid4().hex}"


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    """Under `make verify`, the jobs the fuzz creates are written down for its clean-up to delete (verify/ledger.py)."""
    authorization = response.request.headers.get("Authorization")
    record(authorization, case.method, case.path, response.status_code, response.content)
