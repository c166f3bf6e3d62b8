"""Keeps .secrets.baseline reviewed when files change name or wording but not what they hold (make fork).

The baseline identifies an allowed string by its hash: re-branding a file changes the hash of every line the scan
flagged (a resource name, a sample event). `rescan` scans the tracked files again, as the baseline was made, and
keeps an entry reviewed where the reviewed baseline had one of the same kind at the same place (file, line);
anything else stays unreviewed, for a person to look at (tests/static/test_secrets_baseline.py fails until then).
"""

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

BASELINE = ".secrets.baseline"
EXCLUDED = r"^(uv\.lock|\.secrets\.baseline)$"  # hashes of packages, and the baseline's own hashes


def scan(root: Path, files: list[str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "detect_secrets", "scan", "--exclude-files", EXCLUDED, *files]
    result = subprocess.run(command, cwd=root, check=True, capture_output=True, text=True)  # noqa: S603
    return dict(json.loads(result.stdout))


def reviewed_places(baseline: dict[str, Any], renamed: Callable[[str], str]) -> set[tuple[str, int, str]]:
    return {
        (renamed(path), entry["line_number"], entry["type"])
        for path, entries in baseline["results"].items()
        for entry in entries
        if entry.get("is_secret") is False
    }


def rescan(root: Path, files: list[str], renamed: Callable[[str], str] = str) -> int:
    """Rewrites the baseline; returns how many entries are left unreviewed."""
    reviewed = reviewed_places(json.loads((root / BASELINE).read_text()), renamed)
    baseline = scan(root, files)
    unreviewed = 0
    for path, entries in baseline["results"].items():
        for entry in entries:
            if (path, entry["line_number"], entry["type"]) in reviewed:
                entry["is_secret"] = False
            else:
                unreviewed += 1
    (root / BASELINE).write_text(json.dumps(baseline, indent=2) + "\n")
    # detect-secrets-hook refuses to run while its baseline has unstaged changes.
    subprocess.run(["git", "add", BASELINE], cwd=root, check=True)  # noqa: S603, S607
    return unreviewed
