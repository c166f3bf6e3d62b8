"""Dependabot proposes updates for every place an action is used, grouped, weekly, after a cooldown."""

from fnmatch import fnmatch
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[2]


def test_every_directory_that_uses_actions_is_watched_weekly_in_one_group() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    [actions] = [u for u in config["updates"] if u["package-ecosystem"] == "github-actions"]
    users = ["/"] + [f"/{p.parent.relative_to(ROOT)}" for p in (ROOT / ".github" / "actions").glob("*/action.yml")]

    assert [u for u in users if not any(fnmatch(u, d) for d in actions["directories"])] == []
    assert actions["schedule"]["interval"] == "weekly"
    assert actions["groups"]["github-actions"]["patterns"] == ["*"]
    assert actions["cooldown"]["default-days"] >= 7
