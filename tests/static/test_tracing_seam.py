"""app.observability is the only code that knows how a function traces: a later switch of tracer (Powertools' own
OpenTelemetry tracer once released, say) is a change there only."""

import ast
from pathlib import Path

SOURCE = Path(__file__).parents[2] / "src" / "app"
SEAM = SOURCE / "observability"
# The tracing libraries and Powertools' tracing API, by their import names.
TRACING = ("aws_xray_sdk", "opentelemetry", "aws_lambda_powertools.tracing")
TRACING_NAMES = {"Tracer"}


def tracing_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith(TRACING)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {alias.name for alias in node.names}
            if node.module.startswith(TRACING) or (node.module == "aws_lambda_powertools" and names & TRACING_NAMES):
                found.append(node.module)
    return found


def test_no_module_outside_observability_imports_a_tracer() -> None:
    outside = {
        str(path.relative_to(SOURCE)): imports
        for path in sorted(SOURCE.rglob("*.py"))
        if not path.is_relative_to(SEAM) and (imports := tracing_imports(path))
    }

    assert outside == {}


def test_the_check_sees_the_tracer_the_seam_imports() -> None:
    # The other side: the seam's own import is recognised, so an empty answer above means something.
    assert tracing_imports(SEAM / "tracing.py") == ["aws_lambda_powertools"]
