"""A Dependabot pull request passes CI although it changes only the lock: .github/workflows/dependabot-generated.yml
regenerates exactly the files make test's drift checks compare, with the Makefile targets that write them, only
for Dependabot's branches of this repository; it pushes them and dispatches a workflow that accepts a dispatch and
reports its result where the pull request's required check sees it."""

import ast
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
REGENERATE = WORKFLOWS / "dependabot-generated.yml"
DRIFT_CHECKS = ROOT / "tests" / "static" / "test_generated_files.py"
DEPENDABOT_ONLY = "github.event.pull_request.user.login == 'dependabot[bot]'"
THIS_REPOSITORY_ONLY = "github.event.pull_request.head.repo.full_name == github.repository"


def load(path: Path) -> dict[str, Any]:
    workflow = dict(yaml.safe_load(path.read_text()))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as true
    return workflow


def drift_checks() -> dict[str, str]:
    """{file: make target}, from the drift checks' own messages: "openapi.json drifted from ...: run `make openapi`"."""
    messages = [
        node.msg.value
        for node in ast.walk(ast.parse(DRIFT_CHECKS.read_text()))
        if isinstance(node, ast.Assert) and isinstance(node.msg, ast.Constant) and isinstance(node.msg.value, str)
    ]
    found = [re.fullmatch(r"(\S+) drifted from .*: run `make (\S+)`", text) for text in messages]
    return {match.group(1): match.group(2) for match in found if match}


def scripts(job: dict[str, Any]) -> str:
    return "\n".join(step["run"] for step in job.get("steps", []) if "run" in step)


def makes(job: dict[str, Any]) -> list[list[str]]:
    return [line.split()[1:] for line in scripts(job).splitlines() if line.startswith("make ")]


def recipe(target: str) -> str:
    """The commands of a Makefile target: the tab-indented lines under `target:`."""
    found = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), flags=re.MULTILINE)
    return found.group(1) if found else ""


def writes(job: dict[str, Any]) -> set[str]:
    return {scope for scope, access in job.get("permissions", {}).items() if access == "write"}


def test_the_regenerated_files_are_those_the_drift_checks_compare() -> None:
    files = load(REGENERATE)["env"]["GENERATED_FILES"].split()

    assert drift_checks()
    assert sorted(files) == sorted(drift_checks())


def test_the_workflow_runs_the_makefile_targets_that_write_those_files_and_no_other() -> None:
    regenerate = load(REGENERATE)["jobs"]["regenerate"]

    assert [sorted(targets) for targets in makes(regenerate)] == [sorted(set(drift_checks().values()))]
    for file, target in drift_checks().items():
        assert file in recipe(target).replace("../", ""), f"`make {target}` does not write {file}"


def test_every_job_runs_only_for_dependabot_s_pull_requests_from_this_repository() -> None:
    workflow = load(REGENERATE)

    assert list(workflow["on"]) == ["pull_request"]  # never pull_request_target: no base-branch token on PR code
    for name, job in workflow["jobs"].items():
        guard = " ".join(job["if"].split())
        assert DEPENDABOT_ONLY in guard, name
        assert THIS_REPOSITORY_ONLY in guard, name


def test_the_job_that_runs_the_updated_packages_can_write_nothing() -> None:
    workflow = load(REGENERATE)
    running_project_code = {name for name, job in workflow["jobs"].items() if makes(job)}
    writing = {name: writes(job) for name, job in workflow["jobs"].items() if writes(job)}

    assert workflow["permissions"] == {}
    assert running_project_code
    assert running_project_code.isdisjoint(writing)
    assert writing == {"push": {"contents", "actions"}}
    assert not any("$/" in step.get("uses", "") for step in workflow["jobs"]["push"]["steps"])


def test_the_push_commits_only_the_generated_files_when_they_changed_and_lets_dependabot_rebase() -> None:
    script = scripts(load(REGENERATE)["jobs"]["push"])

    assert '"$GENERATED_FILES"' in script
    assert re.search(r'git diff --quiet -- "\$\{files\[@\]\}"; then\n.*\n\s*exit 0', script)
    assert re.search(r'commit .*\[dependabot skip\].*\n.*-- "\$\{files\[@\]\}"', script)
    assert re.search(r'git push \S+ "HEAD:refs/heads/\$\{BRANCH\}"', script)
    # the API's contract changed: the job summary says so, for the reviewer
    contract_changed = r'if ! git diff --quiet -- openapi\.json; then\n(?:.*\n)*?\s*\} >> "\$GITHUB_STEP_SUMMARY"'
    assert re.search(contract_changed, script)


def test_the_dispatched_workflow_accepts_a_dispatch_and_reports_the_check_the_pull_request_requires() -> None:
    dispatches = re.findall(r'gh workflow run (\S+) .*--ref "\$BRANCH"', scripts(load(REGENERATE)["jobs"]["push"]))

    assert len(dispatches) == 1
    dispatched = load(WORKFLOWS / dispatches[0])
    assert "workflow_dispatch" in dispatched["on"]
    [check] = [job["name"] for job in dispatched["jobs"].values() if ["test"] in makes(job)]
    [report] = [job for job in dispatched["jobs"].values() if "statuses" in writes(job)]
    assert " ".join(report["if"].split()) == "always() && github.event_name == 'workflow_dispatch'"
    assert report["permissions"] == {"statuses": "write"}
    assert f'-f context="{check}"' in scripts(report)
    assert "statuses/$GITHUB_SHA" in scripts(report)


def test_every_caller_of_a_reusable_workflow_grants_what_its_jobs_ask_for() -> None:
    """GitHub refuses to start a run whose called workflow asks for more than its caller grants, whatever its `if`."""
    rank = {"none": 0, "read": 1, "write": 2}
    missing = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for name, caller in load(path)["jobs"].items():
            if not caller.get("uses", "").startswith("$/.github/workflows/"):
                continue
            called = load(ROOT / caller["uses"].removeprefix("$/"))
            granted = caller.get("permissions", {})
            missing += [
                (path.name, name, scope, access)
                for job in called["jobs"].values()
                for scope, access in job.get("permissions", {}).items()
                if rank[access] > rank[granted.get(scope, "none")]
            ]

    assert missing == []
