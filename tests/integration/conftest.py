"""Integration tier: moto in process, with every resource created from template.yaml by devstack.provision."""

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from moto import mock_aws

from app import wiring
from app.api.resolver import ROUTERS
from app.audit_settings import get_audit_settings
from app.job_settings import get_jobs_api_settings
from app.settings import get_settings
from devstack.names import Names
from devstack.provision import provision
from devstack.template import Template, load_template
from tests.support.apigw import LambdaContext, http_event
from tests.support.faults import FaultInjector

REGION = "us-east-1"


@pytest.fixture(scope="session")
def template() -> Template:
    return load_template()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    with mock_aws():
        yield


@pytest.fixture
def names(aws: None, template: Template) -> Names:
    """Physical names of the template's resources, created in moto."""
    return provision(template)


@pytest.fixture
def function_environment(
    names: Names, template: Template, monkeypatch: pytest.MonkeyPatch
) -> Callable[[str], dict[str, str]]:
    """Applies a function's environment, as template.yaml declares it, to this process."""

    def apply(logical_id: str) -> dict[str, str]:
        environment = template.function_environment(logical_id, names)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return environment

    return apply


@pytest.fixture
def api_environment(
    function_environment: Callable[[str], dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """The write function's environment, and the API wiring rebuilt from it (settings are cached per container)."""
    # This tier sends every API route through one handler; which function loads which routers is checked by
    # tests/static (against the template's routes) and exercised by the e2e tier (each function its own routers).
    # The handler builds the services of every router at cold start, the jobs service with JobsFunction's settings.
    jobs = function_environment("JobsFunction")
    environment = function_environment("ItemsWriteFunction")
    for name in ("JOBS_BUCKET_NAME", "EXPORT_QUEUE_URL", "IMPORT_MAX_BYTES", "JOB_RETENTION_DAYS"):
        monkeypatch.setenv(name, jobs[name])
    monkeypatch.setenv("API_ROUTERS", ",".join(ROUTERS))
    caches = (get_settings, get_jobs_api_settings, wiring.api_services)
    for cached in caches:
        cached.cache_clear()
    yield environment
    for cached in caches:
        cached.cache_clear()


@pytest.fixture
def call(api_environment: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """Sends an API Gateway HTTP API event through the real handler, real wiring and moto."""
    from app.handlers.api import handler

    def send(method: str, path: str, **options: Any) -> dict[str, Any]:
        return dict(handler(http_event(method, path, **options), LambdaContext()))

    return send


@pytest.fixture
def audit_handler(function_environment: Callable[[str], dict[str, str]]) -> Iterator[Callable[..., Any]]:
    """The audit function's entry point with its environment from template.yaml, writing to moto."""
    function_environment("AuditFunction")
    get_audit_settings.cache_clear()
    wiring.audit_recorder.cache_clear()
    from app.handlers.audit import handler

    yield handler
    get_audit_settings.cache_clear()
    wiring.audit_recorder.cache_clear()


@pytest.fixture
def dynamodb(aws: None) -> Any:
    import boto3

    return boto3.client("dynamodb", region_name=os.environ["AWS_DEFAULT_REGION"])


@pytest.fixture
def jobs_environment(function_environment: Callable[[str], dict[str, str]]) -> Iterator[dict[str, str]]:
    """JobsFunction's environment (the /imports and /exports routes), and the jobs wiring rebuilt from it."""
    environment = function_environment("JobsFunction")
    caches = (get_settings, get_jobs_api_settings, wiring.api_services)
    for cached in caches:
        cached.cache_clear()
    yield environment
    for cached in caches:
        cached.cache_clear()


@pytest.fixture
def jobs_call(jobs_environment: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """Sends an API Gateway HTTP API event to JobsFunction: the real handler and wiring, on moto."""
    from app.handlers.api import handler

    def send(method: str, path: str, **options: Any) -> dict[str, Any]:
        return dict(handler(http_event(method, path, **options), LambdaContext(function_name="JobsFunction")))

    return send


@pytest.fixture
def jobs_worker(function_environment: Callable[[str], dict[str, str]]) -> Iterator[Callable[..., Any]]:
    """The jobs worker's entry point with JobsWorkerFunction's environment, on moto."""
    from app.job_settings import get_jobs_worker_settings

    function_environment("JobsWorkerFunction")
    get_jobs_worker_settings.cache_clear()
    wiring.job_worker.cache_clear()
    from app.handlers.jobs_worker import handler

    yield handler
    get_jobs_worker_settings.cache_clear()
    wiring.job_worker.cache_clear()


@pytest.fixture
def faults(aws: None) -> Iterator[FaultInjector]:
    """Fault injection (tests/support/faults.py) on every boto3 client created from now on, including the clients of
    every function's wiring (rebuilt here, as a handler's first import may have built them); the test fails if a
    planned fault never fired."""
    import boto3

    injector = FaultInjector()
    with injector.installed(boto3._get_default_session()):
        for built in (wiring.api_services, wiring.audit_recorder, wiring.job_worker):
            built.cache_clear()
        yield injector
    unfired = [(fault.operation, fault.kind, fault.fired, fault.times) for fault in injector.unfired()]
    assert not unfired, f"planned faults that did not fire (operation, kind, fired, times): {unfired}"
