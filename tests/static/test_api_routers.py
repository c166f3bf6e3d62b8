"""Each API function loads only the routers named by its API_ROUTERS variable (cold start): they must serve every
route its template events send it, and a router must not be named where none of its routes arrive."""

import re
from importlib import import_module
from pathlib import Path

import pytest

from app.api.resolver import ROUTERS
from app.settings import api_routers
from devstack.template import Template, load_template

TEMPLATE = load_template()
API_FUNCTIONS = [
    name for name, function in TEMPLATE.functions().items() if function.handler == "app.handlers.api.handler"
]


def router_routes(name: str) -> set[str]:
    """The route keys ("GET /items/{id}") a router module declares."""
    routes = set()
    for rule, methods, *_ in import_module(f"app.api.{name}").router._routes:
        path = re.sub(r"<(\w+)>", r"{\1}", rule)
        routes |= {f"{method.upper()} {path}" for method in ([methods] if isinstance(methods, str) else methods)}
    return routes


def function_routers(template: Template, logical_id: str) -> tuple[str, ...]:
    """The function's API_ROUTERS, parsed as its settings parse them (an unknown router fails here)."""
    return api_routers(template.functions()[logical_id].environment["API_ROUTERS"])


@pytest.mark.parametrize("logical_id", API_FUNCTIONS)
def test_an_api_function_loads_the_routers_of_its_routes_and_no_other(logical_id: str) -> None:
    routers = function_routers(TEMPLATE, logical_id)
    events = {route.route_key for route in TEMPLATE.routes() if route.function_id == logical_id}

    served = set().union(*(router_routes(name) for name in routers))

    assert events <= served, f"{logical_id}: API_ROUTERS={','.join(routers)} lacks {sorted(events - served)}"
    for name in routers:
        assert router_routes(name) & events, f"{logical_id} loads router {name!r} but none of its routes"


def test_every_router_serves_some_function() -> None:
    named = {name for logical_id in API_FUNCTIONS for name in function_routers(TEMPLATE, logical_id)}

    assert named == set(ROUTERS)


@pytest.mark.parametrize("name", ROUTERS)
def test_a_function_builds_at_cold_start_the_services_its_routers_use(name: str) -> None:
    """wiring.ROUTER_SERVICES lists what a router's routes call on services(): the cold start builds exactly that."""
    from app.wiring import ROUTER_SERVICES

    source = (Path(import_module(f"app.api.{name}").__file__ or "")).read_text()

    assert set(re.findall(r"services\(\)\.(\w+)", source)) == set(ROUTER_SERVICES[name])
