"""Failures the caller must see in the error format, without internals."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from app.domain.errors import DependencyUnavailableError
from app.observability import SERVER_ERROR_RESPONSES, metrics
from tests.fakes.items import InMemoryItemRepository
from tests.support.apigw import LambdaContext, json_body

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


def emitted_metrics(output: str, name: str) -> list[dict[str, Any]]:
    """The EMF documents on stdout that carry the named metric."""
    documents = [json.loads(line) for line in output.splitlines() if line.startswith("{") and '"_aws"' in line]
    return [d for d in documents if name in {m["Name"] for m in d["_aws"]["CloudWatchMetrics"][0]["Metrics"]}]


@pytest.mark.parametrize("failure", [RuntimeError("bug"), DependencyUnavailableError()], ids=["500", "503"])
def test_a_handled_5xx_moves_the_server_error_metric_of_the_function(
    call: Call,
    repository: InMemoryItemRepository,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failure: Exception,
) -> None:
    # Lambda's Errors metric sees a successful run here: this metric is what rolls a canary back.
    def fail(**_: Any) -> None:
        raise failure

    monkeypatch.setattr(repository, "list_newest_first", fail)

    response = call("GET", "/items")

    assert response["statusCode"] >= 500
    [document] = emitted_metrics(capsys.readouterr().out, SERVER_ERROR_RESPONSES)
    assert document[SERVER_ERROR_RESPONSES] == [1.0]
    assert document["function_name"] == LambdaContext().function_name
    # The function's own namespace and service (POWERTOOLS_* of template.yaml), as its alarm names them.
    assert document["service"] == metrics.service
    assert document["_aws"]["CloudWatchMetrics"][0]["Namespace"] == metrics.namespace
    assert sorted(document["_aws"]["CloudWatchMetrics"][0]["Dimensions"][0]) == ["function_name", "service"]


def test_answers_below_500_publish_no_server_error_metric(call: Call, capsys: pytest.CaptureFixture[str]) -> None:
    assert call("GET", "/items")["statusCode"] == 200
    assert call("GET", "/items/not-an-id")["statusCode"] == 404

    assert emitted_metrics(capsys.readouterr().out, SERVER_ERROR_RESPONSES) == []
