"""`make resource NAME=customers`: in a copy of the working tree, the scaffolded resource passes the lint, typecheck,
static, unit and integration tiers without a hand edit; taken names are refused; `make resource-remove` restores
the tree. Slow (the tiers of a copy): `make fork-test` runs it, as part of `make test`."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.resource_names import ResourceNames
from tests.fork.test_fork import CHECKS_TIMEOUT_SECONDS, TIERS, copy_working_tree, git

pytestmark = pytest.mark.timeout(CHECKS_TIMEOUT_SECONDS + 300)


def uv() -> str:
    found = os.environ.get("FORK_TEST_UV") or os.environ.get("UV") or shutil.which("uv")
    assert found, "no uv: run through `make fork-test`, which passes the Makefile's own"
    return found


def environment() -> dict[str, str]:
    # The copy gets its own .venv (from the shared uv cache), not the one running this test.
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_PROJECT"))}
    return kept | {"UV": uv()}


def resource(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "scripts/resource.py", *args]
    return subprocess.run(command, cwd=root, env=environment(), capture_output=True, text=True, check=False)


def changes(root: Path) -> str:
    """What differs from the copy as it was made: changed and untracked files."""
    return git(root, "status", "--porcelain", "--untracked-files=all").strip()


def fresh_copy(tmp_path: Path) -> Path:
    root = tmp_path / "clone"
    root.mkdir()
    copy_working_tree(root)
    git(root, "-c", "user.name=copy", "-c", "user.email=copy@example.com", "commit", "--quiet", "-m", "copy")
    return root


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = fresh_copy(tmp_path_factory.mktemp("resource"))
    added = resource(root, "add", "customers")
    assert added.returncode == 0, added.stderr
    return root


@pytest.mark.parametrize("given", ["customers", "customer"])
def test_singular_and_plural_name_the_same_resource(given: str) -> None:
    names = ResourceNames.of(given)

    assert (names.plural, names.singular) == ("customers", "customer")
    assert names.values()["Singular"] == "Customer"


@pytest.mark.parametrize(
    ("given", "plural", "singular", "path"),
    [("category", "categories", "category", "categories"), ("order_lines", "order_lines", "order_line", "order-lines")],
)
def test_other_plurals(given: str, plural: str, singular: str, path: str) -> None:
    names = ResourceNames.of(given)

    assert (names.plural, names.singular, names.values()["path"]) == (plural, singular, path)


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("customer", "router 'customers' exists"),  # the one just scaffolded, by its singular
        ("items", "router 'items' exists"),
        ("Customers", "lowercase identifier"),
        ("customer-accounts", "lowercase identifier"),
        ("patrons", "entity name 'Patron' is taken"),  # the test-only kind of tests/support/kinds.py
        ("create", "'CREATE#'"),  # CREATE#, items' creation records: begins_with would read them
    ],
)
def test_a_taken_or_malformed_name_is_refused_with_one_line_and_status_2(
    scaffolded: Path, given: str, reason: str
) -> None:
    before = changes(scaffolded)
    refused = resource(scaffolded, "add", given)

    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1
    assert reason in refused.stderr
    assert changes(scaffolded) == before


def test_remove_restores_the_tree_also_after_a_hand_edit_and_a_second_resource(tmp_path: Path) -> None:
    root = fresh_copy(tmp_path)
    for name in ("category", "order_lines"):
        added = resource(root, "add", name)
        assert added.returncode == 0, added.stderr
    assert "src/app/api/categories.py" in changes(root)
    kinds = root / "src/app/domain/resource_kinds.py"
    kinds.write_text(kinds.read_text().replace('client_fields=("name",)', 'client_fields=("title", "rank")', 1))

    for name in ("categories", "order_lines"):
        removed = resource(root, "remove", name)
        assert removed.returncode == 0, removed.stderr
    assert changes(root) == ""


def test_remove_names_a_registration_it_cannot_find_and_changes_nothing(tmp_path: Path) -> None:
    root = fresh_copy(tmp_path)
    assert resource(root, "add", "category").returncode == 0
    wiring = root / "src/app/wiring.py"
    wiring.write_text(wiring.read_text().replace('    "categories": ("categories",),\n', ""))
    before = changes(root)

    removed = resource(root, "remove", "category")

    assert removed.returncode == 2
    assert "src/app/wiring.py" in removed.stderr
    assert changes(root) == before


def test_the_scaffolded_copy_passes_its_lint_type_static_unit_and_integration_tiers(scaffolded: Path) -> None:
    checked = subprocess.run(
        ["make", "--keep-going", f"UV={uv()}", *TIERS],
        cwd=scaffolded,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=CHECKS_TIMEOUT_SECONDS,
        check=False,
    )

    assert checked.returncode == 0, f"{checked.stdout[-4000:]}\n{checked.stderr[-4000:]}"
