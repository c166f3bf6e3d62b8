"""Powertools' event_handler package, loaded name by name (PEP 562) instead of every resolver at once.

`aws_lambda_powertools.event_handler/__init__.py` imports every resolver it offers (AppSync with asyncio, Bedrock
agents, VPC Lattice, Lambda function URLs, ...) to re-export their names, although an API function uses one: about
0.047 B of its cold start (instructions, `make bench-instructions`). The `__init__` does nothing but re-export, so
the package is installed here as one whose submodules import as usual and whose re-exported names are imported
from their own submodule on first use, as Powertools itself made its parser's envelopes lazy (a module-level
`__getattr__`). Which module each name comes from is read from the package's own `__init__.py`, so an upgrade of
Powertools needs nothing here; should that `__init__` ever do more than re-export, the package imports as usual.
"""

import ast
import sys
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

PACKAGES = ("aws_lambda_powertools.event_handler",)
# The data classes' package re-exports too, but the resolver uses most of it: loaded lazily it cost 0.003 B more.


def exported_names(tree: ast.Module, package: str) -> dict[str, str] | None:
    """Each name a package's `__init__` re-exports, with the submodule it comes from; None when the `__init__`
    does anything else (a call, a conditional or relative import, an assignment other than `__all__`)."""
    names: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom):
            if statement.level or not (statement.module or "").startswith(f"{package}."):
                return None
            names.update({alias.asname or alias.name: str(statement.module) for alias in statement.names})
        elif not _documents_or_lists(statement):
            return None
    return names


def _documents_or_lists(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Expr):
        return isinstance(statement.value, ast.Constant)
    return isinstance(statement, ast.Assign) and all(
        isinstance(target, ast.Name) and target.id == "__all__" for target in statement.targets
    )


def install(package: str) -> bool:
    """Installs the package as lazy, unless it is imported already or its `__init__` does more than re-export."""
    spec = None if package in sys.modules else find_spec(package)
    if spec is None or spec.origin is None or spec.submodule_search_locations is None:
        return False
    with open(spec.origin, encoding="utf-8") as init:
        tree = ast.parse(init.read())
    names = exported_names(tree, package)
    if names is None:
        return False
    module = ModuleType(package, ast.get_docstring(tree))
    module.__spec__, module.__file__, module.__path__ = spec, spec.origin, list(spec.submodule_search_locations)
    module.__all__ = list(names)  # type: ignore[attr-defined]

    def resolve(name: str) -> object:
        # A re-exported name, or else a submodule not imported yet (the real __init__ would have imported it).
        value = getattr(import_module(names[name]), name) if name in names else _submodule(package, name)
        setattr(module, name, value)
        return value

    module.__getattr__ = resolve  # type: ignore[method-assign]
    sys.modules[package] = module
    parent, _, child = package.rpartition(".")
    if parent:
        setattr(import_module(parent), child, module)
    return True


def _submodule(package: str, name: str) -> ModuleType:
    try:
        return import_module(f"{package}.{name}")
    except ModuleNotFoundError as missing:
        if missing.name != f"{package}.{name}":
            raise  # the submodule exists but needs what is not installed: as the package's own import would say
        raise AttributeError(f"module {package!r} has no attribute {name!r}") from missing


def install_all() -> None:
    for package in PACKAGES:
        install(package)
