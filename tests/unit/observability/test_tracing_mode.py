"""TRACING_MODE is read once at cold start: a missing or unknown mode fails the function's init, naming the modes."""

import pytest

from app.observability.tracing import TRACING_MODES, TracingModeError, handler_tracing, tracing_mode


@pytest.mark.parametrize("mode", TRACING_MODES)
def test_each_mode_is_read_as_itself(mode: str) -> None:
    assert tracing_mode({"TRACING_MODE": mode}) == mode


@pytest.mark.parametrize("environment", [{}, {"TRACING_MODE": "x-ray"}, {"TRACING_MODE": ""}])
def test_a_missing_or_unknown_mode_fails_naming_the_modes(environment: dict[str, str]) -> None:
    with pytest.raises(TracingModeError, match="xray, "):
        tracing_mode(environment)


def test_off_leaves_the_handler_as_it_is() -> None:
    def handler(event: dict[str, object], context: object) -> object:
        return event

    assert handler_tracing("off", correlation_id=lambda: None)(handler) is handler
