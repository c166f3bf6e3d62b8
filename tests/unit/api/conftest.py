from collections.abc import Callable
from typing import Any

import pytest

from app import wiring
from app.wiring import ApiServices
from tests.fakes.audit import InMemoryAuditLog
from tests.fakes.items import InMemoryItemRepository
from tests.fakes.services import in_memory_services
from tests.support.apigw import LambdaContext, http_event


@pytest.fixture
def repository() -> InMemoryItemRepository:
    return InMemoryItemRepository()


@pytest.fixture
def audit_log() -> InMemoryAuditLog:
    return InMemoryAuditLog()


@pytest.fixture
def services(
    repository: InMemoryItemRepository, audit_log: InMemoryAuditLog, monkeypatch: pytest.MonkeyPatch
) -> ApiServices:
    """The real handler and resolver, with in-memory adapters behind the services."""
    fake = in_memory_services(repository, audit_log)
    monkeypatch.setattr(wiring, "api_services", lambda: fake)
    return fake


@pytest.fixture
def call(services: ApiServices) -> Callable[..., dict[str, Any]]:
    """Sends one API Gateway HTTP API event through the real handler and returns its response."""
    from app.handlers.api import handler

    def send(method: str, path: str, **options: Any) -> dict[str, Any]:
        return dict(handler(http_event(method, path, **options), LambdaContext()))

    return send
