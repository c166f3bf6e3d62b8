"""Cold start: a function imports only what its own routes or records use (the figures: `make bench`).

Each function's handler module is imported in a fresh interpreter with the function's environment from
template.yaml, as Lambda does at init; the test then lists what got loaded.
"""

import ast
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, get_args

import pytest

from app.api.lazy_packages import exported_names
from app.settings import ApiRouter
from devstack.template import load_template

ROOT = Path(__file__).parents[2]


@cache
def resolver_exports() -> dict[str, str]:
    """What Powertools' event_handler package re-exports, by name, with the module each comes from."""
    spec = find_spec("aws_lambda_powertools.event_handler")
    assert spec is not None
    assert spec.origin is not None
    names = exported_names(ast.parse(Path(spec.origin).read_text()), spec.name)
    assert names is not None, "the event_handler package does more than re-export: see app.api.lazy_packages"
    return names


TEMPLATE = load_template()
# The template under each TracingMode it allows: a function's environment (TRACING_MODE) follows the parameter.
TRACING_MODES: tuple[str, ...] = tuple(TEMPLATE.body["Parameters"]["TracingMode"]["AllowedValues"])
TEMPLATES = {mode: load_template(parameters={"TracingMode": mode}) for mode in TRACING_MODES}
DEFAULT_MODE = str(TEMPLATE.body["Parameters"]["TracingMode"]["Default"])
# The tracing libraries, by the mode that may load them: a function loads at init those of its own mode only.
TRACING_LIBRARIES = {"xray": ("aws_xray_sdk",), "otel": ("opentelemetry",)}
RESOURCES = frozenset(TEMPLATE.resources())

BATCH = "aws_lambda_powertools.utilities.batch"
IDEMPOTENCY = "aws_lambda_powertools.utilities.idempotency"
RESOLVER = "aws_lambda_powertools.event_handler"
# The resolvers Powertools' event_handler re-exports besides the HTTP API's (AppSync, Bedrock, VPC Lattice, ...):
# app.api loads that package name by name (app.api.lazy_packages), so no API function loads them.
OTHER_RESOLVERS = tuple(
    sorted(
        {module for name, module in resolver_exports().items() if name.endswith("Resolver")}
        - {resolver_exports()["APIGatewayHttpResolver"]}
    )
)
WORKER = ("app.services.worker", "app.services.imports", "app.services.exports", "app.adapters.s3_streams")
ROUTERS: tuple[str, ...] = get_args(ApiRouter)
# Settings and helpers only one kind of function uses: each class they create costs at init.
JOB_SETTINGS, AUDIT_SETTINGS, TIME_RESERVES = "app.job_settings", "app.audit_settings", "app.adapters.time_reserves"
NOT_API = (JOB_SETTINGS, AUDIT_SETTINGS, TIME_RESERVES)
PAGES = "app.domain.pages"  # only the functions that list an owner's records


def router_modules(router: str) -> set[str]:
    """The modules a router owns by the project's layout (app.api.<router>, app.models.<router>,
    app.services.<router>), those that exist."""
    names = (f"app.api.{router}", f"app.models.{router}", f"app.services.{router}")
    return {name for name in names if (ROOT / "src" / f"{name.replace('.', '/')}.py").exists()}


def served(logical_id: str) -> set[str]:
    """The routers an API function serves: its API_ROUTERS in template.yaml."""
    return set(str(TEMPLATE.functions()[logical_id].environment.get("API_ROUTERS", "")).split(",")) - {""}


def not_served(logical_id: str) -> tuple[str, ...]:
    """What the routers a function does not serve own, less what its own routers also own."""
    own = set().union(*(router_modules(router) for router in served(logical_id)))
    others = set().union(*(router_modules(router) for router in ROUTERS if router not in served(logical_id)))
    return tuple(sorted(others - own))


def write_models(logical_id: str) -> tuple[str, ...]:
    """The request models (<Name>Create, <Name>Update) of the routers a function serves, if all its routes read."""
    if any(route.method != "GET" for route in TEMPLATE.routes() if route.function_id == logical_id):
        return ()
    models = []
    for router in sorted(served(logical_id)):
        source = ROOT / "src" / "app" / "models" / f"{router}.py"
        if source.exists():
            classes = [node.name for node in ast.parse(source.read_text()).body if isinstance(node, ast.ClassDef)]
            models += [f"app.models.{router}.{name}" for name in classes if name.endswith(("Create", "Update"))]
    return tuple(models)


# What each function must not load at init: the modules of the routers it does not serve (read from the template
# and the routers' layout), and what only other kinds of function use.
NOT_LOADED: dict[str, tuple[str, ...]] = {
    "HealthFunction": (
        *not_served("HealthFunction"),
        "app.adapters",
        "app.domain.jobs",
        *WORKER,
        BATCH,
        IDEMPOTENCY,
        *NOT_API,
        *OTHER_RESOLVERS,
    ),
    "ItemsReadFunction": (
        *not_served("ItemsReadFunction"),
        "app.domain.jobs",
        *WORKER,
        BATCH,
        IDEMPOTENCY,
        *NOT_API,
        *OTHER_RESOLVERS,
    ),
    "ItemsWriteFunction": (
        *not_served("ItemsWriteFunction"),
        "app.domain.jobs",
        *WORKER,
        BATCH,
        IDEMPOTENCY,
        *NOT_API,
        *OTHER_RESOLVERS,
    ),
    "JobsFunction": (
        *not_served("JobsFunction"),
        "app.adapters.dynamodb_items",
        "app.adapters.idempotency",
        "app.adapters.dynamodb_audit",
        *WORKER,
        BATCH,
        IDEMPOTENCY,
        AUDIT_SETTINGS,
        TIME_RESERVES,
        PAGES,
        *OTHER_RESOLVERS,
    ),
    # No client input to validate: the audit function loads neither pydantic nor any model.
    "AuditFunction": (
        "app.api",
        "app.models",
        "app.services.jobs",
        *WORKER,
        RESOLVER,
        IDEMPOTENCY,
        "pydantic",
        JOB_SETTINGS,
        TIME_RESERVES,
        PAGES,
    ),
    # Items are read and written in bulk, never through the repository with its services and If-Match rules.
    "JobsWorkerFunction": (
        RESOLVER,
        IDEMPOTENCY,
        "app.api.errors",
        "app.adapters.s3_presign",
        AUDIT_SETTINGS,
        "app.adapters.dynamodb_items",
        "app.services.items",
        "app.domain.preconditions",
        PAGES,
    ),
}
# pydantic models a function defines but must not build at init: it never validates them.
NOT_BUILT = {logical_id: models for logical_id in NOT_LOADED if (models := write_models(logical_id))}

PROGRAM = """
import gc, importlib, json, sys
# Collections are counted from the import of the handlers' package, which pauses the collector, to the end of init:
# before it, compiling sources without cached bytecode (a fresh clone) may run one, as Lambda's own bootstrap may.
importlib.import_module(sys.argv[1].rpartition(".")[0])
collections = []
gc.callbacks.append(lambda phase, info: collections.append(info["generation"]) if phase == "start" else None)
importlib.import_module(sys.argv[1])
collector = {"collections": collections, "enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}
built = {}
for path in sys.argv[2:]:
    module, _, name = path.rpartition(".")
    built[path] = getattr(sys.modules[module], name).__pydantic_complete__
# Our classes that dataclasses made: each compiled its methods at init (about 0.0038 B; a NamedTuple costs 0.0009).
dataclasses = sorted(
    f"{name}.{attribute}"
    for name, module in list(sys.modules.items())
    if name.startswith("app.")
    for attribute, value in vars(module).items()
    if isinstance(value, type) and value.__module__ == name and "__dataclass_fields__" in vars(value)
)
print(json.dumps({"modules": sorted(sys.modules), "built": built, "collector": collector, "dataclasses": dataclasses}))
"""


class PlaceholderNames(Mapping[str, str]):
    """Every resource's Ref and GetAtt resolve to a made-up name (parameters keep their defaults): importing a
    handler calls no AWS service."""

    def __getitem__(self, key: str) -> str:
        return f"placeholder-{key}"

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.split(".")[0] in RESOURCES

    def __iter__(self) -> Any:
        return iter(())

    def __len__(self) -> int:
        return 0


# Cached: both tests below read the same import of a function (a fresh interpreter each, about a second).
@cache
def loaded_at_init(logical_id: str, models: tuple[str, ...], mode: str = DEFAULT_MODE) -> dict[str, Any]:
    function = TEMPLATE.functions()[logical_id]
    environment = {
        "PATH": os.environ.get("PATH", ""),
        **TEMPLATES[mode].function_environment(logical_id, PlaceholderNames()),
        "PYTHONPATH": str(ROOT / "src"),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": logical_id,
        "POWERTOOLS_TRACE_DISABLED": "false",
    }
    module = function.handler.rpartition(".")[0]
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, module, *models], env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_every_function_has_its_import_rules() -> None:
    assert set(NOT_LOADED) == set(TEMPLATE.functions())


@pytest.mark.parametrize("logical_id", sorted(NOT_LOADED))
def test_a_function_loads_only_what_its_routes_or_records_use(logical_id: str) -> None:
    models = NOT_BUILT.get(logical_id, ())

    loaded = loaded_at_init(logical_id, models)

    modules = set(loaded["modules"])
    unwanted = sorted(name for name in modules if any(name.startswith(prefix) for prefix in NOT_LOADED[logical_id]))
    assert unwanted == [], f"{logical_id} loads at init: {unwanted}"
    assert [model for model, built in loaded["built"].items() if built] == [], f"{logical_id} builds write models"


@pytest.mark.parametrize("logical_id", sorted(NOT_LOADED))
def test_a_function_creates_no_dataclass_of_ours_at_init(logical_id: str) -> None:
    # A frozen dataclass compiles its methods when its class is created: 0.0038 B of cold start each, where a
    # NamedTuple costs 0.0009 (make bench-instructions). Tests, scripts and the local stack may use them freely.
    assert loaded_at_init(logical_id, NOT_BUILT.get(logical_id, ()))["dataclasses"] == []


@pytest.mark.parametrize("mode", TRACING_MODES)
@pytest.mark.parametrize("logical_id", sorted(NOT_LOADED))
def test_init_runs_no_garbage_collection_and_freezes_what_it_built(logical_id: str, mode: str) -> None:
    collector = loaded_at_init(logical_id, NOT_BUILT.get(logical_id, ()), mode)["collector"]

    assert collector["collections"] == [], f"{logical_id} init ran collections: {collector['collections']}"
    assert collector["enabled"], f"{logical_id} left the collector paused after init"
    assert collector["frozen"] > 10_000, "init's objects were not frozen out of the collector's generations"


@pytest.mark.parametrize("mode", TRACING_MODES)
@pytest.mark.parametrize("logical_id", sorted(NOT_LOADED))
def test_a_function_loads_the_tracing_library_of_its_mode_only(logical_id: str, mode: str) -> None:
    # TracingMode=off leaves tracing to Lambda: the X-Ray SDK (supported until 2027-02-25) is never imported.
    modules = loaded_at_init(logical_id, NOT_BUILT.get(logical_id, ()), mode)["modules"]

    loaded = {owner for owner, libraries in TRACING_LIBRARIES.items() for name in modules if name in libraries}
    assert loaded == ({mode} & set(TRACING_LIBRARIES)), f"{logical_id} with TracingMode={mode} loads {loaded}"
