from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.api.dependencies import get_api_services
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
def services(repository: InMemoryItemRepository, audit_log: InMemoryAuditLog) -> Iterator[ApiServices]:
    """The real handler and resolver, with in-memory adapters behind the services."""
    from app.handlers.api import app

    fake = in_memory_services(repository, audit_log)
    app.dependency_overrides[get_api_services] = lambda: fake
    yield fake
    app.dependency_overrides.clear()


@pytest.fixture
def call(services: ApiServices) -> Callable[..., dict[str, Any]]:
    """Sends one API Gateway HTTP API event through the real handler and returns its response."""
    from app.handlers.api import handler

    def send(method: str, path: str, **options: Any) -> dict[str, Any]:
        return handler(http_event(method, path, **options), LambdaContext())

    return send
