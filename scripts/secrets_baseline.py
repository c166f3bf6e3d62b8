"""The secret scan's reviewed baseline: `make lint` checks against it, `make fork` keeps it reviewed.

    secrets_baseline.py check     every tracked and new file scanned; exit 1 naming each string not in the baseline

`check` compares what a fresh scan finds with the baseline by file, kind and hash, not by line: unlike
detect-secrets-hook (the pre-commit hook), which rewrites the baseline and fails whenever a reviewed line moves, it
fails only on a new string, and changes nothing.

The baseline identifies an allowed string by its hash: re-branding a file changes the hash of every line the scan
flagged (a resource name, a sample event). `rescan` scans the tracked files again, as the baseline was made, and
keeps an entry reviewed where a reviewed string of the same kind was before the rewrite (file, line: the places
`reviewed_places_now` found); anything else stays unreviewed, for a person to look at
(tests/static/test_secrets_baseline.py fails until then).
"""

import json
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

BASELINE = ".secrets.baseline"
EXCLUDED = r"^(uv\.lock|\.secrets\.baseline)$"  # hashes of packages, and the baseline's own hashes


def scan(root: Path, files: list[str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "detect_secrets", "scan", "--exclude-files", EXCLUDED, *files]
    result = subprocess.run(command, cwd=root, check=True, capture_output=True, text=True)  # noqa: S603
    return dict(json.loads(result.stdout))


def reviewed_places_now(root: Path, files: list[str]) -> set[tuple[str, int, str]]:
    """Where the reviewed strings are in the files as they are now: the baseline's own line numbers go stale as
    files change (`check` compares by hash), so a rescan that keeps reviews by place needs today's."""
    reviewed = _found(json.loads((root / BASELINE).read_text()), reviewed_only=True)
    return {
        (path, entry["line_number"], entry["type"])
        for path, entries in scan(root, files)["results"].items()
        for entry in entries
        if (path, entry["type"], entry["hashed_secret"]) in reviewed
    }


def rescan(root: Path, files: list[str], places: set[tuple[str, int, str]], renamed: Callable[[str], str] = str) -> int:
    """Rewrites the baseline, keeping a review where a string of the same kind is at a reviewed place (`places`, from
    reviewed_places_now before the files changed); returns how many are left unreviewed."""
    reviewed = {(renamed(path), line, kind) for path, line, kind in places}
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


def _found(baseline: dict[str, Any], *, reviewed_only: bool = False) -> set[tuple[str, str, str]]:
    """Each string the baseline holds (or only those reviewed as not secret) by file, kind and hash."""
    return {
        (path, e["type"], e["hashed_secret"])
        for path, entries in baseline["results"].items()
        for e in entries
        if not reviewed_only or e.get("is_secret") is False
    }


def new_strings(root: Path, files: Iterable[str]) -> list[str]:
    """What a scan finds that the baseline does not hold, one line each (file:line kind)."""
    known = _found(json.loads((root / BASELINE).read_text()))
    scanned = scan(root, [f for f in files if (root / f).is_file()])
    return [
        f"{path}:{entry['line_number']} {entry['type']}"
        for path, entries in scanned["results"].items()
        for entry in entries
        if (path, entry["type"], entry["hashed_secret"]) not in known
    ]


def working_files(root: Path) -> list[str]:
    command = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    listed = subprocess.run(command, cwd=root, check=True, capture_output=True).stdout  # noqa: S603
    return [name for name in listed.decode().split("\0") if name]


def main(argv: list[str]) -> int:
    if argv != ["check"]:
        print("usage: secrets_baseline.py check", file=sys.stderr)
        return 2
    root = Path(__file__).resolve().parents[1]
    if found := new_strings(root, working_files(root)):
        print("\n".join(f"possible secret, not in {BASELINE}: {line}" for line in found))
        print("remove it, or review it: detect-secrets scan --baseline .secrets.baseline; detect-secrets audit ...")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
