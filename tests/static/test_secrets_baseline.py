"""The secret scan's baseline (.secrets.baseline, make lint and the pre-commit hook) holds reviewed entries only:
each one was looked at and marked a false positive, with the reasons in the README (Security)."""

import json
import shutil
from pathlib import Path

from scripts.secrets_baseline import new_strings

ROOT = Path(__file__).parents[2]


def test_every_baseline_entry_was_reviewed_as_a_false_positive() -> None:
    baseline = json.loads((ROOT / ".secrets.baseline").read_text())
    unreviewed = [
        f"{path}:{entry['line_number']} {entry['type']}"
        for path, entries in baseline["results"].items()
        for entry in entries
        if entry.get("is_secret") is not False
    ]

    assert baseline["results"]
    assert unreviewed == []


def test_the_check_names_a_new_secret_and_not_a_reviewed_string_that_moved(tmp_path: Path) -> None:
    shutil.copy(ROOT / ".secrets.baseline", tmp_path / ".secrets.baseline")
    reviewed = "bench/lambda_env.py"  # a reviewed entry of the baseline
    (tmp_path / "bench").mkdir()
    (tmp_path / reviewed).write_text("\n\n\n" + (ROOT / reviewed).read_text())  # its line moved down
    planted = "AKIA" + "IOSFODNN7EXAMPLF"  # an access key id's shape, built here so this file holds none
    (tmp_path / "leak.py").write_text(f'token = "{planted}"\n')

    assert new_strings(tmp_path, [reviewed, "leak.py"]) == ["leak.py:1 AWS Access Key"]
