"""The project's cfn-lint rules (cfn_rules/) pass on template.yaml and catch what they are written for."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def lint(template: Path) -> tuple[int, str]:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(template), "--append-rules", str(ROOT / "cfn_rules")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def test_template_passes_cfn_lint_with_the_project_rules() -> None:
    code, output = lint(ROOT / "template.yaml")

    assert code == 0, output


def test_every_project_rule_fires_on_a_template_that_breaks_it() -> None:
    code, output = lint(Path(__file__).parent / "fixtures" / "template_breaking_every_rule.yaml")

    assert code != 0
    assert set(re.findall(r"^(E900\d)", output, flags=re.MULTILINE)) == {"E9001", "E9002", "E9003", "E9004", "E9005"}
