"""HTTP API route selection: the most specific path wins, a method beats ANY, $default catches the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass

from devstack.sam import Route

_PARAMETER = re.compile(r"^\{([^}]+)\}$")


@dataclass(frozen=True)
class RouteMatch:
    route: Route
    path_parameters: dict[str, str]


@dataclass(frozen=True)
class _CompiledRoute:
    route: Route
    pattern: re.Pattern[str]
    groups: dict[str, str]  # regex group -> path parameter name ("proxy+" is not a valid group name)
    specificity: tuple[int, int]  # (no greedy parameter, literal segments)


def _compile(route: Route) -> _CompiledRoute:
    assert route.path is not None
    parts: list[str] = []
    groups: dict[str, str] = {}
    literals, greedy = 0, False
    for index, segment in enumerate(route.path.strip("/").split("/")):
        parameter = _PARAMETER.match(segment)
        if parameter is None:
            parts.append(re.escape(segment))
            literals += 1
            continue
        group, name = f"p{index}", parameter.group(1)
        greedy = greedy or name.endswith("+")
        groups[group] = name.rstrip("+")
        parts.append(f"(?P<{group}>.+)" if name.endswith("+") else f"(?P<{group}>[^/]+)")
    pattern = re.compile("^/" + "/".join(parts) + "/?$")
    return _CompiledRoute(route, pattern, groups, (0 if greedy else 1, literals))


class Router:
    def __init__(self, routes: list[Route]) -> None:
        self._routes = [_compile(route) for route in routes if route.path is not None]
        self._default = next((route for route in routes if route.path is None), None)

    def match(self, method: str, path: str) -> RouteMatch | None:
        candidates: list[tuple[tuple[int, int, int], RouteMatch]] = []
        for compiled in self._routes:
            if compiled.route.method not in (method, "ANY"):
                continue
            found = compiled.pattern.match(path)
            if found is not None:
                parameters = {name: found.group(group) for group, name in compiled.groups.items()}
                exact_method = 1 if compiled.route.method == method else 0
                candidates.append(((*compiled.specificity, exact_method), RouteMatch(compiled.route, parameters)))
        if candidates:
            return max(candidates, key=lambda candidate: candidate[0])[1]
        return RouteMatch(self._default, {}) if self._default is not None else None
