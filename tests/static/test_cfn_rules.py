"""The project's cfn-lint rules (cfn_rules/) pass on template.yaml and on what it expands to under every parameter
set, and catch what they are written for, in the SAM template and in what SAM expands it into."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.parameter_sets import parameter_sets

ROOT = Path(__file__).parents[2]
PROJECT_RULES = {"E9001", "E9002", "E9003", "E9004", "E9005", "E9006", "E9007", "E9008"}


def lint(*templates: Path) -> tuple[int, str]:
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "cfn-lint"),
            *map(str, templates),
            "--append-rules",
            str(ROOT / "cfn_rules"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def test_template_passes_cfn_lint_with_the_project_rules() -> None:
    code, output = lint(ROOT / "template.yaml")

    assert code == 0, output


# One cfn-lint process for the 13 templates: about 45 s of CPU, whose wall time grows on a shared machine.
@pytest.mark.timeout(900)
def test_every_expanded_parameter_set_passes_cfn_lint_with_the_project_rules(expanded_directory: Path) -> None:
    templates = sorted(expanded_directory.glob("*.json"))

    assert [path.stem for path in templates] == sorted(parameter_sets())
    code, output = lint(*templates)
    assert code == 0, output


def test_every_project_rule_fires_on_a_template_that_breaks_it() -> None:
    code, output = lint(Path(__file__).parent / "fixtures" / "template_breaking_every_rule.yaml")

    assert code != 0
    assert set(re.findall(r"^(E900\d)", output, flags=re.MULTILINE)) == PROJECT_RULES


def test_every_project_rule_fires_on_what_sam_expands_that_template_into(expanded_directory: Path) -> None:
    # Generated resources too: the role SAM writes (wildcard action, unjustified AWSLambdaBasicExecutionRole), the
    # Lambda function (default memory and timeout), the OpenAPI body of the API (a route without authorizer).
    code, output = lint(expanded_directory / "breaking" / "expanded.json")

    assert code != 0
    assert set(re.findall(r"^(E900\d)", output, flags=re.MULTILINE)) == PROJECT_RULES
    assert "FnRole: managed policy AWSLambdaBasicExecutionRole is not justified" in output
    assert "FnRole: wildcard action dynamodb:*" in output
