"""Dependabot proposes updates for every place an action is used and for the Python lock, grouped, weekly, after a
cooldown; the Python groups keep what the dependencies layer ships apart from the development tools."""

import tomllib
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[2]


def update_for(ecosystem: str) -> dict[str, Any]:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    [update] = [u for u in config["updates"] if u["package-ecosystem"] == ecosystem]
    return dict(update)


def declared(requirements: list[str]) -> list[str]:
    return [canonicalize_name(Requirement(requirement).name) for requirement in requirements]


def groups_of(name: str, groups: dict[str, dict[str, list[str]]]) -> list[str]:
    def matches(patterns: list[str]) -> bool:
        return any(fnmatch(name, canonicalize_name(pattern)) for pattern in patterns)

    return [
        group
        for group, rule in groups.items()
        if matches(rule.get("patterns", [])) and not matches(rule.get("exclude-patterns", []))
    ]


def test_every_directory_that_uses_actions_is_watched_weekly_in_one_group() -> None:
    actions = update_for("github-actions")
    users = ["/"] + [f"/{p.parent.relative_to(ROOT)}" for p in (ROOT / ".github" / "actions").glob("*/action.yml")]

    assert [u for u in users if not any(fnmatch(u, d) for d in actions["directories"])] == []
    assert actions["schedule"]["interval"] == "weekly"
    assert actions["groups"]["github-actions"]["patterns"] == ["*"]
    assert actions["cooldown"]["default-days"] >= 7


def test_the_uv_lock_at_the_root_is_watched_weekly_after_a_cooldown() -> None:
    python = update_for("uv")

    assert python["directory"] == "/"
    assert (ROOT / "uv.lock").is_file()
    assert python["schedule"]["interval"] == "weekly"
    assert python["cooldown"]["default-days"] >= 7
    assert python["commit-message"]["prefix"]


def test_each_python_dependency_is_in_one_group_the_runtime_ones_apart_from_the_development_ones() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = declared(project["project"]["dependencies"])
    development = declared(project["dependency-groups"]["dev"])
    groups = update_for("uv")["groups"]

    assert runtime
    assert {name: groups_of(name, groups) for name in runtime} == {name: ["runtime"] for name in runtime}
    assert {name: groups_of(name, groups) for name in development} == {name: ["development"] for name in development}
