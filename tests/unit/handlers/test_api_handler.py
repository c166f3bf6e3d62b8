"""Cold-start behaviour of the API entry point."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[3]


def import_handler(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(ROOT / "src"),
        "POWERTOOLS_TRACE_DISABLED": "true",
        "TRACING_MODE": "xray",
    }
    return subprocess.run(
        [sys.executable, "-c", "import app.handlers.api"],
        env=base | environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cold_start_fails_loudly_naming_every_missing_setting() -> None:
    result = import_handler({"AWS_DEFAULT_REGION": "us-east-1", "ITEMS_TABLE_NAME": "items"})

    assert result.returncode != 0
    assert "MissingSettingsError" in result.stderr
    assert "IDEMPOTENCY_TABLE_NAME" in result.stderr
    assert "CURSOR_SECRET_ARN" in result.stderr
