"""`make restore-drill LOCAL=1` against the local stack: the items table restored to its latest restorable time
into a new table, every item found there equal, and the drill's table deleted; a stack that is not running is one
line and exit 2, with nothing changed (docs/restore.md)."""

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.localstack import Stack, free_port
from tests.e2e.test_audit_e2e import ITEM, api

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "restore_drill.py"


def restore_drill(outputs: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), "--local", "--outputs", str(outputs)]
    return subprocess.run(command, capture_output=True, text=True, timeout=100, check=False)


def tables(stack: Stack) -> list[str]:
    return list(stack.client("dynamodb").list_tables()["TableNames"])


def test_the_drill_restores_every_item_and_leaves_no_table_behind(
    stack: Stack, token_for: Callable[[str], str]
) -> None:
    alice = token_for("alice")
    created = [api(stack, alice, "POST", "/items", json=ITEM | {"name": f"lamp {n}"}).json()["id"] for n in range(3)]
    before = tables(stack)

    result = restore_drill(stack.log_path.parent / "outputs.json")

    assert result.returncode == 0, result.stdout + result.stderr
    [line] = result.stdout.splitlines()
    checked = int(line.split("; ")[1].split(" items checked")[0])
    assert checked >= len(created)
    assert line.endswith(", 0 differ")
    assert f"{stack.outputs['ItemsTableName']} -> {stack.outputs['ItemsTableName']}-drill-" in line
    assert tables(stack) == before


def test_a_stack_that_is_not_running_is_one_line_and_exit_2(tmp_path: Path, stack: Stack) -> None:
    outputs = tmp_path / "outputs.json"
    gone = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    outputs.write_text(json.dumps(stack.outputs | {"AwsEndpointUrl": gone}))

    result = restore_drill(outputs)

    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("restore drill: ")
