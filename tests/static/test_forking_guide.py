"""FORKING.md names only files, make targets and symbols that exist: a rename or a removal that leaves the guide
behind fails here. Placeholders (`<name>`, `<brand>`) and the examples of what a fork is renamed to are skipped;
the files of its `make resource NAME=customers` example are the ones the scaffold generates for that name."""

import re
import subprocess
from functools import cache
from itertools import product
from pathlib import Path

import pytest

from scripts.resource import generated_files
from scripts.resource_names import ResourceNames

ROOT = Path(__file__).parents[2]
GUIDE = ROOT / "FORKING.md"
CODE = re.compile(r"`([^`\n]+)`")
PATH = re.compile(r"^[\w.*{},/-]+\.(py|yaml|yml|toml|json|md|txt|sh|lock|baseline)$|^[\w.*{},-]+(/[\w.*{},-]*)+/?$")
SYMBOL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\(\))?$")
MAKE = re.compile(r"^make ([a-z][a-z-]*)")
MODULE = re.compile(r"^(?:python -m )?((?:app|devstack|scripts|tests|verify|loadtests|bench)(?:\.\w+)+)$")
# Words in backticks that are values or names a reader types, not names in this repository.
SCAFFOLDED = set(generated_files(ResourceNames.of("customers").values()))  # the guide's example
NOT_NAMES = {"true", "false", "prod", "dev", "orders", "extra", "forbid", "GET", "POST", "PUT", "DELETE"}


def expansions(pattern: str) -> list[str]:
    """`src/app/{a,b}.py` -> [src/app/a.py, src/app/b.py] (shell brace expansion, no nesting)."""
    parts = re.split(r"\{([^{}]*)\}", pattern)
    choices = [[part] if index % 2 == 0 else part.split(",") for index, part in enumerate(parts)]
    return ["".join(combination) for combination in product(*choices)]


@cache
def tracked_text() -> str:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    texts = []
    for name in names:
        path = ROOT / name
        if path == GUIDE:  # the guide does not vouch for itself
            continue
        if path.is_file() and path.suffix in {".py", ".yaml", ".yml", ".toml", ".json", ".md", ".sh"} | {""}:
            texts.append(path.read_text(errors="replace"))
    return "\n".join(texts)


def ignored(path: str) -> bool:
    """A path git ignores (`cdk/node_modules/`): named in .gitignore, made by a make target, absent from a clone."""
    check = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT, check=False)
    return check.returncode == 0


def scaffolded(path: str) -> bool:
    """A file `make resource NAME=customers` writes (by its path, or a bare name by its file name)."""
    return path in SCAFFOLDED or any(f"**/{Path(generated).name}" == path for generated in SCAFFOLDED)


def importable(dotted: str) -> bool:
    """app.handlers.api.handler: a module (under src/ or the root), or an attribute named in its module."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        base = "/".join(parts[:cut])
        for root in (ROOT / "src", ROOT):
            for candidate in (root / f"{base}.py", root / base / "__init__.py"):
                if candidate.is_file():
                    rest = parts[cut:]
                    return not rest or re.search(rf"\b{re.escape(rest[0])}\b", candidate.read_text()) is not None
    return False


def names_in_guide() -> list[str]:
    spans = CODE.findall(GUIDE.read_text())
    # Command lines and code blocks: only their make targets are names.
    return sorted({span.strip() for span in spans if "<" not in span and ("NAME=" not in span or MAKE.match(span))})


def missing(span: str) -> str | None:
    """Why a backticked span names nothing in the repository, or None."""
    if target := MAKE.match(span):
        makefile = (ROOT / "Makefile").read_text()
        return None if re.search(rf"^{re.escape(target[1])}:", makefile, re.MULTILINE) else "no such make target"
    if module := MODULE.match(span):
        return None if importable(module[1]) else "no such module or attribute"
    if PATH.match(span):
        # a bare file name (`wiring.py`) is a file anywhere in the tree
        paths = [path if "/" in path else f"**/{path}" for path in expansions(span)]
        absent = [path for path in paths if not (any(ROOT.glob(path.rstrip("/"))) or scaffolded(path) or ignored(path))]
        return f"no file or folder {absent}" if absent else None
    if SYMBOL.match(span) and span not in NOT_NAMES and (not span.islower() or "_" in span):
        word = span.removesuffix("()").split(".")[-1]
        return None if re.search(rf"\b{re.escape(word)}\b", tracked_text()) else "named nowhere in the repository"
    return None


@pytest.mark.parametrize("span", names_in_guide())
def test_what_the_forking_guide_names_exists(span: str) -> None:
    assert missing(span) is None, f"FORKING.md names `{span}`: {missing(span)}"
