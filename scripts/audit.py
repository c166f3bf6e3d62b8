"""Known vulnerabilities in the dependencies (make audit): pip-audit against PyPI's advisory data.

    audit.py [--exceptions audit-exceptions.toml]

Audits what the dependencies layer ships (layer/requirements.txt, every Lambda function's packages) and the whole
development lock (`uv export`). A known vulnerability in a runtime package fails, unless audit-exceptions.toml
accepts it with a reason and an expiry date; an expired entry fails too, whatever the advisory service says. A
vulnerability in a development-only package is reported, not failed: it never reaches Lambda.

Where the advisory service cannot be reached (pip-audit then reports every package "not found"), the audit says
so in one `SKIPPED: audit ...` line and passes, unless AUDIT_REQUIRED=1 (set in the GitHub workflows): then that
is a failure. Exit codes: 0 passed or skipped, 1 a finding or an expired exception, 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "layer" / "requirements.txt"
EXCEPTIONS = ROOT / "audit-exceptions.toml"
NOT_FOUND = "not found on PyPI"

Report = dict[str, Any]  # pip-audit's JSON output


@dataclass(frozen=True)
class Accepted:
    id: str
    package: str
    reason: str
    expires: date


@dataclass(frozen=True)
class Finding:
    scope: str  # "runtime" or "development"
    package: str
    version: str
    id: str
    fix_versions: tuple[str, ...]


class AuditInputError(Exception):
    """An exceptions file or a report the audit cannot use: one line, exit 2."""


def read_exceptions(path: Path) -> list[Accepted]:
    if not path.exists():
        return []
    try:
        return [_accepted(entry) for entry in tomllib.loads(path.read_text()).get("accepted", [])]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise AuditInputError(
            f"{path.name}: every [[accepted]] needs id, package, reason and expires ({error})"
        ) from None


def _accepted(entry: dict[str, Any]) -> Accepted:
    if not str(entry["reason"]).strip():
        raise ValueError(f"{entry['id']} gives no reason")
    expires = entry["expires"]
    day = expires if isinstance(expires, date) else date.fromisoformat(str(expires))
    return Accepted(id=str(entry["id"]), package=str(entry["package"]), reason=str(entry["reason"]), expires=day)


def findings(scope: str, report: Report) -> Iterator[Finding]:
    for dependency in report.get("dependencies", []):
        for vuln in dependency.get("vulns", []):
            yield Finding(
                scope=scope,
                package=dependency["name"],
                version=dependency.get("version", "?"),
                id=vuln["id"],
                fix_versions=tuple(vuln.get("fix_versions", [])),
            )


def unreachable(report: Report) -> bool:
    """pip-audit reports every package "not found" when the advisory service does not answer."""
    dependencies = report.get("dependencies", [])
    return bool(dependencies) and all(NOT_FOUND in str(d.get("skip_reason", "")) for d in dependencies)


def _is_accepted(finding: Finding, accepted: list[Accepted]) -> bool:
    return any(a.id == finding.id and a.package == finding.package for a in accepted)


def verdict(
    reports: dict[str, Report], accepted: list[Accepted], *, today: date, required: bool
) -> tuple[int, list[str]]:
    """(exit code, lines to print) for the reports of each scope."""
    expired = [a for a in accepted if a.expires < today]
    lines = [f"FAIL: accepted {a.id} ({a.package}) expired on {a.expires}: {a.reason}" for a in expired]
    silent = [scope for scope, report in reports.items() if unreachable(report)]
    if silent:
        lines.append(
            f"SKIPPED: audit ({', '.join(silent)}): the advisory service did not answer (every package not found)"
        )
        return int(required or bool(expired)), lines
    failed, judged = _judged(list(_all_findings(reports)), accepted)
    failed = failed or bool(expired)
    summary = f"{'FAIL' if failed else 'PASS'}: audit of {_count(reports)} packages ({', '.join(reports)})"
    return int(failed), [*lines, *judged, summary]


def _all_findings(reports: dict[str, Report]) -> Iterator[Finding]:
    for scope, report in reports.items():
        yield from findings(scope, report)


def _count(reports: dict[str, Report]) -> int:
    return sum(len(report.get("dependencies", [])) for report in reports.values())


def _judged(found: list[Finding], accepted: list[Accepted]) -> tuple[bool, list[str]]:
    """Whether a finding fails the audit, and one line for each."""
    lines, failed = [], False
    for finding in found:
        fix = ", ".join(finding.fix_versions) or "no fixed version yet"
        line = f"{finding.scope}: {finding.package} {finding.version} {finding.id} (fixed in: {fix})"
        if _is_accepted(finding, accepted):
            lines.append(f"ACCEPTED {line}")
        elif finding.scope == "runtime":
            lines.append(f"FAIL {line}")
            failed = True
        else:
            lines.append(f"WARN {line} (development only: never shipped to Lambda)")
    return failed, lines


def pip_audit(requirements: Path) -> Report:
    """pip-audit's answer for pinned requirements, resolved by the file alone (no pip, no virtualenv)."""
    command = [sys.executable, "-m", "pip_audit", "-r", str(requirements), "--no-deps", "--disable-pip"]
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [*command, "-f", "json", "--progress-spinner", "off"], capture_output=True, text=True, check=False
    )
    try:
        report: Report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AuditInputError(
            f"pip-audit gave no report for {requirements.name}: {result.stderr.strip()[-300:]}"
        ) from None
    return report


def development_requirements(directory: Path) -> Path:
    """The whole lock, every group, pinned, as requirements (what `uv sync` installs for development)."""
    target = directory / "development.txt"
    uv = os.environ.get("UV", "uv")
    command = [uv, "export", "--frozen", "--all-groups", "--no-emit-project", "--no-hashes", "--no-header"]
    target.write_text(subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout)  # noqa: S603
    return target


def run(
    exceptions: Path,
    audit: Callable[[Path], Report] = pip_audit,
    development: Callable[[Path], Path] = development_requirements,
) -> int:
    accepted = read_exceptions(exceptions)
    with tempfile.TemporaryDirectory() as directory:
        reports = {"runtime": audit(RUNTIME), "development": audit(development(Path(directory)))}
    code, lines = verdict(reports, accepted, today=date.today(), required=os.environ.get("AUDIT_REQUIRED") == "1")
    print("\n".join(lines))
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/audit.py", description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--exceptions", type=Path, default=EXCEPTIONS)
    arguments = parser.parse_args(argv)
    try:
        return run(arguments.exceptions)
    except (AuditInputError, subprocess.CalledProcessError, OSError) as error:
        print(f"audit: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
