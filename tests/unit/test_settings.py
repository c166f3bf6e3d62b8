import pytest

from app.audit_settings import read_audit_settings
from app.job_settings import JobsApiSettings, JobsWorkerSettings
from app.settings import MissingSettingsError, read_settings
from tests.unit.conftest import API_ENVIRONMENT


def test_settings_come_from_the_environment() -> None:
    settings = read_settings(API_ENVIRONMENT)

    assert settings.items_table_name == "items-unit"


@pytest.mark.parametrize("missing", ["ITEMS_TABLE_NAME", "IDEMPOTENCY_TABLE_NAME", "CURSOR_SECRET_ARN"])
def test_a_missing_setting_fails_loudly_naming_it(missing: str) -> None:
    environment = {name: value for name, value in API_ENVIRONMENT.items() if name != missing}

    with pytest.raises(MissingSettingsError, match=missing):
        read_settings(environment)


def test_an_empty_setting_is_missing() -> None:
    with pytest.raises(MissingSettingsError, match="ITEMS_TABLE_NAME"):
        read_settings(API_ENVIRONMENT | {"ITEMS_TABLE_NAME": ""})


def test_every_problem_is_named_at_once() -> None:
    environment = {name: value for name, value in API_ENVIRONMENT.items() if name not in {"ITEMS_TABLE_NAME"}}

    with pytest.raises(MissingSettingsError, match=r"ITEMS_TABLE_NAME.*API_ROUTERS"):
        read_settings(environment | {"API_ROUTERS": "items,admin"})


@pytest.mark.parametrize("days", ["0", "-1", "1.5", "365 days", "٣"])
def test_a_retention_must_be_a_positive_whole_number_of_days(days: str) -> None:
    with pytest.raises(MissingSettingsError, match="AUDIT_RETENTION_DAYS"):
        read_audit_settings({"AUDIT_TABLE_NAME": "audit", "AUDIT_RETENTION_DAYS": days})


def test_an_upload_limit_above_s3s_single_request_limit_is_refused() -> None:
    environment = {"JOBS_BUCKET_NAME": "b", "EXPORT_QUEUE_URL": "q", "JOB_RETENTION_DAYS": "7"}

    assert JobsApiSettings.read(environment | {"IMPORT_MAX_BYTES": str(5 * 1024**3)}).import_max_bytes == 5 * 1024**3
    with pytest.raises(MissingSettingsError, match="IMPORT_MAX_BYTES"):
        JobsApiSettings.read(environment | {"IMPORT_MAX_BYTES": str(5 * 1024**3 + 1)})


def test_local_token_settings_go_together() -> None:
    with pytest.raises(MissingSettingsError, match="LOCAL_JWT_ISSUER"):
        read_settings(API_ENVIRONMENT | {"LOCAL_JWT_ISSUER": "http://127.0.0.1:5000/pool"})


def test_only_the_api_checks_the_local_token_settings() -> None:
    # The worker verifies no token: a half-set pair in its environment is none of its business.
    environment = {
        "ITEMS_TABLE_NAME": "items",
        "JOBS_BUCKET_NAME": "b",
        "IMPORT_QUEUE_URL": "q1",
        "EXPORT_QUEUE_URL": "q2",
        "IMPORT_MAX_BYTES": "1024",
        "JOB_MAX_RECEIVE_COUNT": "3",
        "LOCAL_JWT_ISSUER": "http://127.0.0.1:5000/pool",
    }

    assert JobsWorkerSettings.read(environment).max_receive_count == 3
