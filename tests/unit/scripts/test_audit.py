"""make audit's verdict on recorded pip-audit answers: this machine never reaches the advisory service (every
package "not found"), so pass, fail, acceptance and expiry are proven on answers recorded in answers/."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scripts.audit import Accepted, AuditInputError, read_exceptions, run, verdict

ANSWERS = Path(__file__).parent / "answers"
TODAY = date(2026, 12, 6)
JINJA = Accepted(
    id="GHSA-q2x7-8rv6-6q7h", package="jinja2", reason="Templates are ours, never a user's.", expires=TODAY
)


def answer(name: str) -> dict[str, Any]:
    return dict(json.loads((ANSWERS / f"{name}.json").read_text()))


def judged(
    runtime: str, development: str = "clean", accepted: list[Accepted] | None = None, **options: Any
) -> tuple[int, list[str]]:
    reports = {"runtime": answer(runtime), "development": answer(development)}
    return verdict(reports, accepted or [], today=options.get("today", TODAY), required=options.get("required", False))


def test_no_known_vulnerability_passes() -> None:
    code, lines = judged("clean")

    assert (code, lines) == (0, ["PASS: audit of 4 packages (runtime, development)"])


def test_a_vulnerable_runtime_package_fails_naming_it_and_its_fix() -> None:
    code, lines = judged("vulnerable")

    assert code == 1
    assert "FAIL runtime: jinja2 3.1.4 GHSA-q2x7-8rv6-6q7h (fixed in: 3.1.5)" in lines
    assert lines[-1].startswith("FAIL: audit of 5 packages")


def test_a_vulnerable_development_package_is_reported_not_failed() -> None:
    code, lines = judged("clean", development="vulnerable")

    assert code == 0
    assert any(line.startswith("WARN development: jinja2 3.1.4 GHSA-q2x7-8rv6-6q7h") for line in lines)


def test_an_accepted_vulnerability_passes_until_its_expiry_date() -> None:
    assert judged("vulnerable", accepted=[JINJA])[0] == 0
    assert (
        "ACCEPTED runtime: jinja2 3.1.4 GHSA-q2x7-8rv6-6q7h (fixed in: 3.1.5)"
        in judged("vulnerable", accepted=[JINJA])[1]
    )

    code, lines = judged("vulnerable", accepted=[JINJA], today=date(2026, 12, 7))

    assert code == 1
    assert lines[0] == f"FAIL: accepted {JINJA.id} (jinja2) expired on 2026-12-06: {JINJA.reason}"


def test_an_acceptance_is_for_its_package_only() -> None:
    other = Accepted(id=JINJA.id, package="markupsafe", reason="r", expires=TODAY)

    assert judged("vulnerable", accepted=[other])[0] == 1


@pytest.mark.parametrize(("required", "code"), [(False, 0), (True, 1)], ids=["skipped", "required"])
def test_an_unreachable_advisory_service_is_one_skipped_line_or_a_failure_when_required(
    required: bool, code: int
) -> None:
    assert judged("unreachable", required=required) == (
        code,
        ["SKIPPED: audit (runtime): the advisory service did not answer (every package not found)"],
    )


def test_an_expired_acceptance_fails_even_when_the_service_is_unreachable() -> None:
    code, lines = judged("unreachable", accepted=[JINJA], today=date(2027, 1, 1))

    assert code == 1
    assert lines[0].startswith("FAIL: accepted GHSA-q2x7-8rv6-6q7h")


def test_the_exceptions_file_needs_a_reason_and_a_date(tmp_path: Path) -> None:
    path = tmp_path / "audit-exceptions.toml"
    path.write_text('[[accepted]]\nid = "GHSA-1"\npackage = "x"\nreason = " "\nexpires = 2027-01-01\n')

    with pytest.raises(AuditInputError, match="reason"):
        read_exceptions(path)
    path.write_text('[[accepted]]\nid = "GHSA-1"\npackage = "x"\nreason = "r"\n')
    with pytest.raises(AuditInputError, match="expires"):
        read_exceptions(path)
    path.write_text('[[accepted]]\nid = "GHSA-1"\npackage = "x"\nreason = "r"\nexpires = 2027-01-01\n')
    assert read_exceptions(path) == [Accepted(id="GHSA-1", package="x", reason="r", expires=date(2027, 1, 1))]


def test_the_project_s_exceptions_file_reads(capsys: pytest.CaptureFixture[str]) -> None:
    # Whatever it holds, it parses; the whole audit runs on recorded answers (no network in the unit tier).
    def recorded(requirements: Path) -> dict[str, Any]:
        return answer("clean")

    assert run(Path(__file__).parents[3] / "audit-exceptions.toml", audit=recorded, development=Path) == 0
    assert capsys.readouterr().out.strip().startswith("PASS: audit")
