"""The fuzz and load suites: schemathesis on openapi.json, then a short `python -m loadtests`, each bounded in time
and each summed up in one line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from verify import ledger
from verify.session import OTHER, USER, Session

REPO_ROOT = Path(__file__).resolve().parents[1]
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
_GENERATED = re.compile(r"(\d+) generated")
_FAILED_OPERATION = re.compile(r"^_+ ((?:GET|POST|PUT|DELETE|PATCH) \S+) _+$", re.MULTILINE)


@contextmanager
def jobs_heard(session: Session) -> Iterator[dict[str, str]]:
    """The environment naming a job ledger for a suite's process; afterwards its jobs join the session's, to delete."""
    with tempfile.TemporaryDirectory(prefix="verify-jobs-") as private:
        path = Path(private) / "jobs.tsv"
        try:
            yield {ledger.VARIABLE: str(path)}
        finally:
            for token, job in ledger.read(path):
                session.jobs.add(token, job)


def fuzz(session: Session, seconds: int) -> tuple[bool, str]:
    command = [
        str(SCHEMATHESIS), "run", "openapi.json", "--url", session.base_url, "--checks", "all",
        "--exclude-checks", "unsupported_method", "--max-time", str(seconds), "--no-color",
    ]  # fmt: skip
    environment = os.environ | {"ITEMS_API_TOKEN": session.tokens[USER], "PYTHONPATH": str(REPO_ROOT)}
    with jobs_heard(session) as heard:
        run = subprocess.run(  # noqa: S603 - our own tools, arguments from this module
            command, cwd=REPO_ROOT, env=environment | heard, capture_output=True, text=True, check=False,
            timeout=seconds + 300,
        )  # fmt: skip
    generated = _GENERATED.search(run.stdout)
    cases = f"{generated.group(1)} cases" if generated else "no summary"
    if run.returncode == 0 and generated:
        return True, f"fuzz: passed, {cases} in {seconds} s"
    print(run.stdout[-8000:], run.stderr[-2000:], sep="\n")
    operations = sorted(set(_FAILED_OPERATION.findall(run.stdout)))
    return False, f"fuzz: FAILED ({cases}): {', '.join(operations) or f'schemathesis exit {run.returncode}'}"


def load(session: Session, *, seconds: int, users: int, thresholds: str) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory(prefix="verify-load-") as reports:
        command = [
            sys.executable, "-m", "loadtests", "--url", session.base_url, "--users", str(users),
            "--run-time", f"{seconds}s", "--thresholds", thresholds, "--reports", reports,
        ]  # fmt: skip
        tokens = ",".join([session.tokens[USER], session.tokens[OTHER]])
        environment = os.environ | {"LOAD_TOKEN": tokens, "LOAD_IMPORT_DEADLINE": "30"}
        with jobs_heard(session) as heard:
            run = subprocess.run(  # noqa: S603 - our own tools, arguments from this module
                command, cwd=REPO_ROOT, env=environment | heard, capture_output=True, text=True, check=False,
                timeout=seconds + 180,
            )  # fmt: skip
        requests = _total_requests(Path(reports))
    problems = [line for line in run.stdout.splitlines() if line.startswith(("FAILURE:", "THRESHOLD FAILED:"))]
    if run.returncode == 0:
        return True, f"load: passed, {requests} requests in {seconds} s, [{thresholds}] thresholds"
    print(run.stdout[-6000:], run.stderr[-2000:], sep="\n")
    return False, f"load: FAILED ([{thresholds}] thresholds): {'; '.join(problems[:5]) or f'exit {run.returncode}'}"


def _total_requests(reports: Path) -> str:
    for stats in reports.glob("*_stats.csv"):
        rows = stats.read_text().splitlines()
        aggregated = [row for row in rows if ",Aggregated," in row]
        if aggregated:
            return aggregated[-1].split(",")[2]
    return "?"
