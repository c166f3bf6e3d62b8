"""The secret scan's baseline (.secrets.baseline, make lint and the pre-commit hook) holds reviewed entries only:
each one was looked at and marked a false positive, with the reasons in the README (Security)."""

import json
from pathlib import Path

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
