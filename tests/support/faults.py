"""Fault injection on real botocore clients in front of in-process moto: AWS's failure semantics, reproducibly.

Each attempt botocore makes (the first call and every retry) emits `before-send`; moto answers it from a handler
on that event. `FaultInjector` takes moto's place on a client's `before-send` and, per planned fault, either lets
the attempt through to moto or does what AWS and the network do:

- `fail_before_send`: the connection fails before the request leaves (EndpointConnectionError), or with
  `timeout=True` the request times out before DynamoDB applied it (ReadTimeoutError); nothing is applied.
- `apply_then_timeout`: moto applies the request, then the answer is lost (ReadTimeoutError). With `status=500` the
  answer is an InternalServerError instead. Either way botocore retries, and the retry meets its own applied write.
- `throttle`: DynamoDB refuses the attempt (ProvisionedThroughputExceededException by default, or `code=`);
  nothing is applied.

Every fault names the operation (`"PutItem"`, `"UpdateItem"`, `"DeleteItem"`, `"TransactWriteItems"`, ..., or
`"*"` for any operation, usually with a table), how many consecutive matching attempts it hits (`times`), how many
matching attempts pass untouched first (`skip`), and optionally the table (`table=`, the request's TableName or one
of its transaction's tables) or any predicate on the JSON request body (`where=`). When several faults match an
attempt, the first planned fires. botocore's retry sleeps are 0 while the injector is installed, so tests stay
fast; the retries themselves are real (standard mode: the client's `max_attempts` retries, so one attempt more).

Usage (the `faults` fixture of tests/integration/conftest.py installs it on the default boto3 session and rebuilds
the wiring's clients, so every client goes through it; `faults.attach(client)` covers a client made before):

    def test_create_survives_a_lost_answer(call, faults, names):
        faults.apply_then_timeout("PutItem", table=names["ItemsTable"])
        response = call("POST", "/items", body=ITEM)
        assert response["statusCode"] == 201
        assert faults.fired == [("PutItem", "apply_then_timeout")]

The fixture fails a test whose planned faults did not all fire: a fault that matched nothing cannot make a test
pass. Works with `mock_aws` (moto in this process); a separate moto server is not intercepted.
"""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from botocore.retries.standard import ExponentialBackoff
from moto.core.models import botocore_stubber

Predicate = Callable[[dict[str, Any]], bool]


class _Body:
    """A raw response body, as botocore reads it."""

    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._content


@dataclass
class Fault:
    operation: str
    kind: str
    times: int
    skip: int
    where: Predicate | None
    code: str = ""
    status: int = 0
    timeout: bool = False
    seen: int = 0
    fired: int = 0

    def matches(self, operation: str, body: dict[str, Any]) -> bool:
        if self.operation not in ("*", operation) or self.fired >= self.times:
            return False
        if self.where is not None and not self.where(body):
            return False
        self.seen += 1
        return self.seen > self.skip


@dataclass
class FaultInjector:
    faults: list[Fault] = field(default_factory=list)
    fired: list[tuple[str, str]] = field(default_factory=list)

    # ------------------------------------------------------------------ planning
    def fail_before_send(
        self, operation: str, *, times: int = 1, skip: int = 0, timeout: bool = False, **match: Any
    ) -> Fault:
        """Nothing is applied: the connection fails, or with `timeout=True` the attempt times out unapplied."""
        return self._plan(operation, "fail_before_send", times, skip, timeout=timeout, **match)

    def apply_then_timeout(
        self, operation: str, *, times: int = 1, skip: int = 0, status: int = 0, **match: Any
    ) -> Fault:
        """Applies the attempt, then loses its answer: a read timeout, or with `status=500` an InternalServerError."""
        return self._plan(operation, "apply_then_timeout", times, skip, status=status, **match)

    def throttle(
        self,
        operation: str,
        *,
        times: int = 1,
        skip: int = 0,
        code: str = "ProvisionedThroughputExceededException",
        **match: Any,
    ) -> Fault:
        return self._plan(operation, "throttle", times, skip, code=code, **match)

    def _plan(
        self,
        operation: str,
        kind: str,
        times: int,
        skip: int,
        *,
        table: str | None = None,
        where: Predicate | None = None,
        code: str = "",
        status: int = 0,
        timeout: bool = False,
    ) -> Fault:
        def predicate(body: dict[str, Any]) -> bool:
            return (table is None or table in _tables(body)) and (where is None or where(body))

        fault = Fault(operation, kind, times, skip, predicate, code=code, status=status, timeout=timeout)
        self.faults.append(fault)
        return fault

    def unfired(self) -> list[Fault]:
        return [fault for fault in self.faults if fault.fired < fault.times]

    # ------------------------------------------------------------------ installing
    def attach(self, client: Any) -> None:
        """Puts the injector in front of moto on one client (made before the injector was installed)."""
        self._swap(client.meta.events)

    @contextmanager
    def installed(self, session: Any) -> Iterator["FaultInjector"]:
        """Every client `session` (a boto3 Session) creates while this is open goes through the injector."""
        events = session._session.get_component("event_emitter")
        self._swap(events)
        original_delay = ExponentialBackoff.delay_amount
        ExponentialBackoff.delay_amount = lambda self, context: 0  # type: ignore[method-assign]
        try:
            yield self
        finally:
            ExponentialBackoff.delay_amount = original_delay  # type: ignore[method-assign]
            events.unregister("before-send", self)
            events.register("before-send", botocore_stubber)

    def _swap(self, events: Any) -> None:
        events.unregister("before-send", botocore_stubber)
        events.unregister("before-send", self)
        events.register("before-send", self)

    # ------------------------------------------------------------------ each attempt
    def __call__(self, *, event_name: str, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        operation = event_name.rsplit(".", 1)[-1]
        fault = self._fault_for(operation, request)
        if fault is None:
            return botocore_stubber(event_name=event_name, request=request)
        fault.fired += 1
        self.fired.append((operation, fault.kind))
        if fault.kind == "fail_before_send":
            raise (ReadTimeoutError if fault.timeout else EndpointConnectionError)(endpoint_url=request.url)
        if fault.kind == "throttle":
            return _error_response(request, 400, fault.code)
        botocore_stubber(event_name=event_name, request=request)
        if fault.status:
            return _error_response(request, fault.status, "InternalServerError")
        raise ReadTimeoutError(endpoint_url=request.url)

    def _fault_for(self, operation: str, request: AWSPreparedRequest) -> Fault | None:
        if not any(fault.operation in ("*", operation) for fault in self.unfired()):
            return None
        body = _json_body(request)
        return next((fault for fault in self.unfired() if fault.matches(operation, body)), None)


def _tables(body: dict[str, Any]) -> set[str]:
    """The tables a request writes: its TableName, or those of a transaction's actions."""
    actions = [action for entry in body.get("TransactItems", []) for action in entry.values()]
    return {name for name in (body.get("TableName"), *(a.get("TableName") for a in actions)) if name}


def _json_body(request: AWSPreparedRequest) -> dict[str, Any]:
    raw = request.body
    if not raw or not request.headers.get("X-Amz-Target"):
        return {}
    document = json.loads(raw.decode() if isinstance(raw, bytes) else str(raw))
    return document if isinstance(document, dict) else {}


def _error_response(request: AWSPreparedRequest, status: int, code: str) -> AWSResponse:
    if request.headers.get("X-Amz-Target"):  # JSON protocols: DynamoDB, SQS, ...
        body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": "injected fault"})
        headers = {"Content-Type": "application/x-amz-json-1.0"}
    else:  # XML protocols: S3
        body = f"<Error><Code>{code}</Code><Message>injected fault</Message></Error>"
        headers = {"Content-Type": "application/xml"}
    return AWSResponse(request.url, status, headers, _Body(body.encode()))  # type: ignore[arg-type]
