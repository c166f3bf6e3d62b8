"""Unit tier: no network. Sockets are blocked for every test here, so nothing can reach AWS or moto."""

from collections.abc import Iterator
from typing import get_args

import aws_xray_sdk.core  # noqa: F401
import pytest
from pytest_socket import disable_socket, enable_socket

from app.settings import ApiRouter

# The X-Ray SDK creates its UDP emitter socket when first imported (it sends nothing while tracing is
# disabled), so it is imported above, before the sockets are blocked for the tests.

# What template.yaml gives every API function; the unit tier never talks to these resources.
API_ENVIRONMENT = {
    "ITEMS_TABLE_NAME": "items-unit",
    "IDEMPOTENCY_TABLE_NAME": "idempotency-unit",
    "CURSOR_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:cursor-unit",
    "AUDIT_TABLE_NAME": "audit-unit",
    # Every router: the unit tier sends every route through the one handler (each function loads only its own).
    "API_ROUTERS": ",".join(get_args(ApiRouter)),
    # The jobs routes' settings: a function serving them builds the jobs service at cold start.
    "JOBS_BUCKET_NAME": "jobs-unit",
    "EXPORT_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/export-unit",
    "IMPORT_MAX_BYTES": "104857600",
    "JOB_RETENTION_DAYS": "7",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "POWERTOOLS_SERVICE_NAME": "items",
    "POWERTOOLS_METRICS_NAMESPACE": "ItemsService",
    # template.yaml's TracingMode default; the X-Ray SDK opens a UDP socket to the daemon when the tracer is
    # enabled, and there is no daemon here.
    "TRACING_MODE": "xray",
    "POWERTOOLS_TRACE_DISABLED": "true",
}


@pytest.fixture(autouse=True)
def _no_network() -> Iterator[None]:
    disable_socket(allow_unix_socket=True)
    yield
    enable_socket()


@pytest.fixture(autouse=True)
def _api_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in API_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
