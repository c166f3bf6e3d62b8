"""Schemathesis against the local stack with the committed openapi.json: the API must do what its contract says.

Every check runs but `unsupported_method` (see schemathesis.toml), in all phases: examples, coverage (boundary and
hostile values of every parameter), fuzzing, and stateful sequences following the spec's links (create -> get ->
replace -> delete). `make test` spends FUZZ_SECONDS (default 100) on it; `make fuzz` runs it longer.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.localstack import REPO_ROOT, Stack

FUZZ_SECONDS = int(os.environ.get("FUZZ_SECONDS", "100"))
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
_SUMMARY = re.compile(r"(\d+) generated, .*")


@pytest.mark.timeout(FUZZ_SECONDS + 180)
def test_the_api_keeps_its_openapi_contract(stack: Stack, token_for: Callable[[str], str]) -> None:
    command = [
        str(SCHEMATHESIS),
        "run",
        "openapi.json",
        "--url",
        stack.base_url,
        "--checks",
        "all",
        "--exclude-checks",
        "unsupported_method",
        "--max-time",
        str(FUZZ_SECONDS),
        "--no-color",
    ]
    environment = os.environ | {"ITEMS_API_TOKEN": token_for("fuzzer"), "PYTHONPATH": str(REPO_ROOT)}

    run = subprocess.run(command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=False)

    summary = _SUMMARY.search(run.stdout)
    print(f"schemathesis: {summary.group(0) if summary else 'no summary'} in {FUZZ_SECONDS} s")
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    assert summary is not None, run.stdout[-5000:]
    assert int(summary.group(1)) > 0
