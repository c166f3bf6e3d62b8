import pytest

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
