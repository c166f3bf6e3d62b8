"""`make fork`: a copy of the working tree, re-branded, keeps no trace of the old name and passes its checks.

Slow (a fresh environment from the shared uv cache, then the copy's lint, types, static, unit and integration
tiers): `make fork-test` runs it, as part of `make test`.
"""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECKS_TIMEOUT_SECONDS = 1800
# What a fork runs without an AWS account or a local stack; e2e and the rest of make test are the stack's own.
TIERS = ("lint", "typecheck", "static", "unit", "integration")

pytestmark = pytest.mark.timeout(CHECKS_TIMEOUT_SECONDS + 120)


def brand_of(root: Path) -> str:
    return str(tomllib.loads((root / "pyproject.toml").read_text())["project"]["name"]).removesuffix("-service")


def traces_of(brand: str) -> re.Pattern[str]:
    """What must not survive a fork: the project, stack and stack-derived names (<brand>-service, -dev, -prod,
    -local, -pr-<n>, -pipeline, -jobs-..., and f"<brand>-{stage}" in code) and <Brand>Service (any case)."""
    pascal = "".join(part.capitalize() for part in brand.split("-"))
    stacks = ("service", "dev", "prod", "local", "pr-", "pipeline", "jobs-", "{stage}", "{stack}")
    words = [f"{pascal}Service", *(f"{brand}-{suffix}" for suffix in stacks)]
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def copy_working_tree(destination: Path) -> None:
    """Tracked and untracked-but-not-ignored files as they are now: what a clone of this change would hold."""
    for name in git(REPO_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0"):
        source = REPO_ROOT / name
        if name and source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    git(destination, "init", "--quiet")
    git(destination, "add", "--all")


def leftover_traces(root: Path, traces: re.Pattern[str]) -> list[str]:
    found = []
    for name in git(root, "ls-files", "-z").split("\0"):
        if not name:
            continue
        if traces.search(name):
            found.append(f"{name}: in its path")
        data = (root / name).read_bytes()
        found += [f"{name}: {match}" for match in traces.findall(data.decode(errors="replace"))]
    return found


@pytest.fixture(scope="module")
def forked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    old = brand_of(REPO_ROOT)
    new = "orders" if old != "orders" else "billing"
    clone = tmp_path_factory.mktemp("fork") / "clone"
    clone.mkdir()
    copy_working_tree(clone)
    subprocess.run([sys.executable, "scripts/fork.py", new], cwd=clone, check=True, capture_output=True)
    return clone, old, new


def test_no_trace_of_the_old_name_is_left_in_any_tracked_file(forked: tuple[Path, str, str]) -> None:
    clone, old, _ = forked

    assert leftover_traces(clone, traces_of(old)) == []


def test_the_new_name_is_where_the_old_one_was(forked: tuple[Path, str, str]) -> None:
    clone, _, new = forked
    pascal = "".join(part.capitalize() for part in new.split("-"))
    samconfig = tomllib.loads((clone / "samconfig.toml").read_text())
    template = (clone / "template.yaml").read_text()

    assert samconfig["default"]["global"]["parameters"]["stack_name"] == f"{new}-dev"
    assert samconfig["prod"]["global"]["parameters"]["stack_name"] == f"{new}-prod"
    assert f"POWERTOOLS_SERVICE_NAME: {new}\n" in template
    assert f"POWERTOOLS_METRICS_NAMESPACE: {pascal}Service\n" in template
    assert tomllib.loads((clone / "pyproject.toml").read_text())["project"]["name"] == f"{new}-service"
    assert f'name = "{new}-service"' in (clone / "uv.lock").read_text()
    assert (clone / "README.md").read_text().startswith(f"# {pascal} service")
    # the example resource stays
    assert "/items/{id}" in template
    assert "ItemsTable:" in template


def test_a_fork_is_refused_a_name_that_is_no_stack_name(forked: tuple[Path, str, str]) -> None:
    clone, _, _ = forked
    refused = subprocess.run(
        [sys.executable, "scripts/fork.py", "Orders_Service"], cwd=clone, capture_output=True, text=True, check=False
    )

    assert refused.returncode != 0
    assert "NAME must be" in refused.stderr


def test_the_fork_passes_its_lock_lint_type_static_unit_and_integration_tiers(forked: tuple[Path, str, str]) -> None:
    clone, _, _ = forked
    uv = os.environ.get("FORK_TEST_UV") or os.environ.get("UV") or shutil.which("uv")
    assert uv, "no uv: run through `make fork-test`, which passes the Makefile's own"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_PROJECT"))}

    for command in ([uv, "lock", "--check"], ["make", f"UV={uv}", *TIERS]):
        checked = subprocess.run(
            command,
            cwd=clone,
            env=environment,
            capture_output=True,
            text=True,
            timeout=CHECKS_TIMEOUT_SECONDS,
            check=False,
        )
        assert checked.returncode == 0, f"{command} failed:\n{checked.stdout[-4000:]}\n{checked.stderr[-4000:]}"
