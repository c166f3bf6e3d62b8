"""The template expanded by the SAM translator (scripts/expand_template.py) under every parameter set of
scripts/parameter_sets.py, once per session: what each stack would actually deploy."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
# The translator pins pydantic below what the functions use: it runs in its own environment, as in `make checkov`.
TRANSLATOR = [
    "--no-project",
    "--with",
    "aws-sam-translator==1.115.0",
    "python",
    str(ROOT / "scripts/expand_template.py"),
]


def expand(*arguments: str) -> None:
    subprocess.run([os.environ.get("UV", "uv"), "run", *TRANSLATOR, *arguments], cwd=ROOT, check=True)


@pytest.fixture(scope="session")
def expanded_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("expanded")
    expand("--matrix", str(ROOT / "template.yaml"), str(directory))
    expand(str(FIXTURES / "template_breaking_every_rule.yaml"), str(directory / "breaking" / "expanded.json"))
    return directory


@pytest.fixture(scope="session")
def expanded(expanded_directory: Path) -> dict[str, dict[str, Any]]:
    """parameter set name -> expanded template (conditions resolved)."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(expanded_directory.glob("*.json"))}
