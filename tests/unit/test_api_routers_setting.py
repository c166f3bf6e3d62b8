"""API_ROUTERS names the routers an API function loads; a wrong value fails at cold start, not on a request."""

import pytest

from app.settings import MissingSettingsError, api_routers, read_settings
from tests.unit.conftest import API_ENVIRONMENT


def test_routers_are_read_in_order() -> None:
    assert api_routers("items, history") == ("items", "history")


@pytest.mark.parametrize("value", ["", " , ", "items,admin"])
def test_an_empty_or_unknown_router_fails_loudly(value: str) -> None:
    with pytest.raises(MissingSettingsError, match="API_ROUTERS"):
        api_routers(value)


def test_settings_refuse_an_unknown_router() -> None:
    with pytest.raises(MissingSettingsError, match="API_ROUTERS"):
        read_settings(API_ENVIRONMENT | {"API_ROUTERS": "items,admin"})
