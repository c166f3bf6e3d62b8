"""Powertools' event_handler package as app.api installs it: every name it re-exports, loaded on first use."""

import ast
import json
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from app.api.lazy_packages import PACKAGES, exported_names, install

SRC = Path(__file__).parents[3] / "src"
PACKAGE = "aws_lambda_powertools.event_handler"

# Each name the package re-exports, as the module and qualified name of what it is; then which of its resolvers'
# modules were loaded by importing the HTTP API's resolver alone.
PROGRAM = """
import importlib, json, sys
lazy = sys.argv[1] == "lazy"
if lazy:
    import app.api
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
loaded = sorted(name for name in sys.modules if name.startswith("aws_lambda_powertools.event_handler."))
package = importlib.import_module("aws_lambda_powertools.event_handler")
names = {name: f"{getattr(package, name).__module__}.{getattr(package, name).__qualname__}" for name in package.__all__}
print(json.dumps({"names": names, "loaded": loaded, "vpc_lattice": package.vpc_lattice.__name__,
                  "unknown": hasattr(package, "NoSuchResolver")}))
"""


def imported(mode: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, mode], env={"PYTHONPATH": str(SRC)}, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def test_every_name_resolves_to_what_powertools_exports_and_only_the_http_resolver_loads() -> None:
    lazy, eager = imported("lazy"), imported("eager")

    assert lazy["names"] == eager["names"]
    assert lazy["vpc_lattice"] == f"{PACKAGE}.vpc_lattice"  # a submodule not imported yet, as an attribute
    assert lazy["unknown"] is False
    resolvers = {f"{PACKAGE}.{module}" for module in ("appsync", "bedrock_agent", "vpc_lattice", "http_resolver")}
    assert resolvers <= set(eager["loaded"])
    assert resolvers.isdisjoint(lazy["loaded"])


def test_the_names_are_read_from_a_re_exporting_init() -> None:
    source = '"""Doc."""\nfrom pkg.a import A, B as C\nfrom pkg.b.c import D\n__all__ = ["A", "C", "D"]\n'

    assert exported_names(ast.parse(source), "pkg") == {"A": "pkg.a", "C": "pkg.a", "D": "pkg.b.c"}


@pytest.mark.parametrize(
    "statement",
    [
        "set_package_logger_handler()",  # a call with effects: the package must run its __init__
        "from .a import A",
        "from .pkg.a import A",
        "from other.a import A",
        "import pkg.a",
        "VERSION = '1'",
        "if True:\n    from pkg.a import A",
        "try:\n    from pkg.a import A\nexcept ImportError:\n    pass",
    ],
)
def test_an_init_that_does_more_than_re_export_is_left_as_it_is(statement: str) -> None:
    source = f"from pkg.a import B\n{statement}\n"

    assert exported_names(ast.parse(source), "pkg") is None


def test_only_re_exporting_packages_are_installed() -> None:
    for package in PACKAGES:
        spec = find_spec(package)
        assert spec is not None
        assert spec.origin is not None
        assert exported_names(ast.parse(Path(spec.origin).read_text()), package), package


def test_a_lazy_package_imports_a_name_on_first_use_and_keeps_its_submodules_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "lazy_fixture"
    package.mkdir()
    (package / "__init__.py").write_text('"""A fixture."""\nfrom lazy_fixture.a import A\n__all__ = ["A"]\n')
    (package / "a.py").write_text("class A:\n    pass\n")
    (package / "needs_more.py").write_text("import a_dependency_not_installed\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("lazy_fixture", "lazy_fixture.a", "lazy_fixture.needs_more"):
        monkeypatch.delitem(sys.modules, name, raising=False)

    assert install("lazy_fixture")
    lazy = sys.modules["lazy_fixture"]

    assert "lazy_fixture.a" not in sys.modules
    assert lazy.A.__module__ == "lazy_fixture.a"
    with pytest.raises(ModuleNotFoundError, match="a_dependency_not_installed"):
        lazy.needs_more  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'missing'"):
        lazy.missing  # noqa: B018
    assert not install("lazy_fixture")  # already imported: left as it is
