"""Failures the caller must see in the error format, without internals."""

from collections.abc import Callable
from typing import Any

import pytest

from app.domain.errors import DependencyUnavailableError
from tests.fakes.items import InMemoryItemRepository
from tests.support.apigw import json_body

Call = Callable[..., dict[str, Any]]


def test_unexpected_error_is_500_with_request_id_and_nothing_internal(
    call: Call, repository: InMemoryItemRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(**_: Any) -> None:
        raise RuntimeError("table items-prod password=hunter2")

    monkeypatch.setattr(repository, "list_newest_first", explode)

    response = call("GET", "/items")

    assert response["statusCode"] == 500
    error = json_body(response)["error"]
    assert error["code"] == "INTERNAL_ERROR"
    assert error["requestId"]
    assert "hunter2" not in response["body"]
    assert "items-prod" not in response["body"]


def test_unavailable_dependency_is_503_with_retry_after(
    call: Call, repository: InMemoryItemRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    def throttled(**_: Any) -> None:
        raise DependencyUnavailableError()

    monkeypatch.setattr(repository, "get", throttled)

    response = call("GET", "/items/01JAAAAAAAAAAAAAAAAAAAAAAA")

    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == "1"
    assert json_body(response)["error"]["code"] == "SERVICE_UNAVAILABLE"
