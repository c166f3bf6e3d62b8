"""The targets `make bench` prints (bench/modes.py): our code over its floor at most 0.10 B in every tracing mode,
and with TracingMode=off the read and write functions under 1.50; the instruction counts refuse a failed request."""

import subprocess
from pathlib import Path

import pytest

from bench import instructions, modes
from bench.package import Package


def test_every_tracing_mode_of_the_template_has_its_floor() -> None:
    assert set(modes.TRACERS) == set(modes.TRACING_MODES)


def test_the_target_is_what_our_code_adds_over_the_floor() -> None:
    assert modes.target_cell("JobsFunction", "xray", 1.60, 1.50) == "+0.100 over floor (<= 0.1 ok)"
    assert modes.target_cell("JobsFunction", "xray", 1.61, 1.50) == "+0.110 over floor (<= 0.1 OVER)"
    assert modes.target_cell("AuditFunction", "otel", 1.30, None) == ""


def test_off_holds_the_read_and_write_functions_under_one_and_a_half() -> None:
    assert modes.target_cell("ItemsReadFunction", "off", 1.49, 1.45).endswith("; < 1.5 ok")
    assert modes.target_cell("ItemsWriteFunction", "off", 1.50, 1.45).endswith("; < 1.5 OVER")
    assert "1.5" not in modes.target_cell("ItemsWriteFunction", "xray", 1.50, 1.45)


@pytest.mark.parametrize(("stdout", "counted"), [("outcome 200\n0.1\n", True), ("", True), ("outcome 502\n", False)])
def test_a_first_invocation_that_failed_gives_no_instruction_count(
    monkeypatch: pytest.MonkeyPatch, stdout: str, counted: bool
) -> None:
    answer = subprocess.CompletedProcess([], 0, stdout=stdout, stderr="==1== Collected : 1234\n")
    monkeypatch.setattr(subprocess, "run", lambda *_args, **_kwargs: answer)
    package = Package(python="python3.13", code=Path("code"), dependencies=Path("deps"))

    if counted:
        assert instructions._instructions(package, "pass", {}) == 1234
    else:
        with pytest.raises(RuntimeError, match="answered 502"):
            instructions._instructions(package, "pass", {})
