"""`make fork NAME=orders`: re-brands a clone of this template in place, by patterns, across every tracked text file.

The brand is read from pyproject.toml (`<brand>-service`), so a fork can be forked again. What changes, for
NAME=orders: the project name (orders-service, also in uv.lock), the stack names (orders-dev, orders-prod, the
local orders-local), names derived from the stack (`orders-<LogicalId>`, `${AWS::StackName}-orders...`), the
metrics namespace (OrdersService), POWERTOOLS_SERVICE_NAME (orders), the jobs bucket prefix, and the titles
("Orders service", "Orders API"). The example resource (/items, ItemsTable, ItemCreate...) stays: it is the
example to copy. Files whose path carries the brand are renamed too. See FORKING.md.
"""

import argparse
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.secrets_baseline import BASELINE, rescan, reviewed_places_now

NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")  # a stack name, a bucket prefix and a Python-friendly word
MAX_NAME = 24  # leaves room for "-prod-<LogicalId>" within CloudFormation's and S3's name limits
SUFFIX = "-service"


@dataclass(frozen=True)
class Brand:
    word: str  # items, order-history

    @property
    def pascal(self) -> str:  # Items, OrderHistory
        return "".join(part.capitalize() for part in self.word.split("-"))

    @property
    def title(self) -> str:  # Items, Order history
        return self.word.replace("-", " ").capitalize()


def rules(old: Brand, new: Brand) -> list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]]:
    """(pattern, replacement) pairs, most specific first. Built from the brand: this file names no brand itself."""
    word = re.escape(old.word)
    return [
        # the project, stacks and resources named after the stack: <brand>-service, -dev, -prod, -local, -jobs-...,
        # the preview stacks <brand>-pr-<number> and the pipeline stack <brand>-pipeline
        (re.compile(rf"\b{word}-(service|dev|prod|local|jobs|pr|pipeline)\b"), rf"{new.word}-\1"),
        # stack names built in code: f"<brand>-{stage}", f"<brand>-{stack}"
        (re.compile(rf"\b{word}-(?=\{{(stage|stack)\}})"), f"{new.word}-"),
        # physical names <stack>-<LogicalId> in sample events and docs
        (re.compile(rf"\b{word}-(?=[A-Z])"), f"{new.word}-"),
        # dashboards and alarms named ${AWS::StackName}-<brand>...
        (re.compile(rf"(\$\{{AWS::StackName\}}-){word}\b"), rf"\g<1>{new.word}"),
        # the metrics namespace
        (re.compile(rf"\b{re.escape(old.pascal)}Service\b"), f"{new.pascal}Service"),
        # the Powertools service name in YAML, JSON and Python (`: items`, `": "items"`, `", "items"`, `] == "items"`)
        (re.compile(rf"(POWERTOOLS_SERVICE_NAME\W{{1,8}}){word}\b"), rf"\g<1>{new.word}"),
        # ... and as the `service` dimension of the metrics it names, in alarms and dashboard widgets
        (re.compile(rf"(Name: service, Value: ){word}\b"), rf"\g<1>{new.word}"),
        (re.compile(rf'("service", "){word}"'), rf'\g<1>{new.word}"'),
        # titles: "<Brand> service", "<brand> service", "<Brand> API"
        (re.compile(rf"\b{re.escape(old.title)} (service|API)\b"), rf"{new.title} \1"),
        (re.compile(rf"\b{word} service\b"), f"{new.word.replace('-', ' ')} service"),
    ]


def rewrite(text: str, replacements: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]]) -> str:
    for pattern, replacement in replacements:
        text = pattern.sub(replacement, text)
    return text


def tracked_files(root: Path) -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, check=True, capture_output=True).stdout  # noqa: S607
    return [root / name for name in listed.decode().split("\0") if name and (root / name).is_file()]


def read_text(path: Path) -> str | None:
    """The file's text, or None for a binary file (left alone)."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode()
    except UnicodeDecodeError:
        return None


def current_brand(root: Path) -> Brand:
    name = str(tomllib.loads((root / "pyproject.toml").read_text())["project"]["name"])
    if not name.endswith(SUFFIX):
        raise SystemExit(f"pyproject.toml's project name {name!r} does not end with {SUFFIX!r}: brand unknown")
    return Brand(name.removesuffix(SUFFIX))


def fork(root: Path, new: Brand) -> list[str]:
    """Rewrites every tracked text file and renames branded paths; returns what changed, one line per file."""
    old = current_brand(root)
    replacements = rules(old, new)
    changed = []
    for path in tracked_files(root):
        text = read_text(path)
        if text is not None and (updated := rewrite(text, replacements)) != text:
            path.write_text(updated)
            changed.append(f"rewrote {path.relative_to(root)}")
        relative = str(path.relative_to(root))
        if (renamed := rewrite(relative, replacements)) != relative:
            subprocess.run(["git", "mv", relative, renamed], cwd=root, check=True)  # noqa: S603, S607
            changed.append(f"renamed {relative} -> {renamed}")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/fork.py", description=__doc__)
    parser.add_argument("name", help="the new service's name, lower case with hyphens: orders, order-history")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args(argv)
    if not NAME.match(args.name) or len(args.name) > MAX_NAME:
        raise SystemExit(f"NAME must be lower-case letters, digits and single hyphens, at most {MAX_NAME} long")
    old = current_brand(args.root)
    if old.word == args.name:
        raise SystemExit(f"this clone is already {args.name}{SUFFIX}")
    # Where the reviewed strings are before the rewrite, which changes their hashes but not their lines.
    before = [str(path.relative_to(args.root)) for path in tracked_files(args.root)]
    places = reviewed_places_now(args.root, before)
    for line in fork(args.root, Brand(args.name)):
        print(line)
    # env.json names the local user pool by ids that moto derives from the pool's name: render it again.
    subprocess.run([sys.executable, "-m", "devstack.envjson"], cwd=args.root, check=True)
    # The secret scan's reviewed allowances follow the re-branded lines (their hashes changed, not their place).
    files = [str(path.relative_to(args.root)) for path in tracked_files(args.root)]
    replacements = rules(old, Brand(args.name))
    if unreviewed := rescan(args.root, files, places, lambda path: rewrite(path, replacements)):
        print(f"{unreviewed} new entries in {BASELINE}: review them (detect-secrets audit {BASELINE})")
    print(f"{old.word}{SUFFIX} is now {args.name}{SUFFIX}: see FORKING.md for the next steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
