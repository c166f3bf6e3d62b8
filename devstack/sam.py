"""The AWS::Serverless-2016-10-31 parts of a template the local stack needs: Globals, functions, HTTP API routes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

IMPLICIT_HTTP_API = "ServerlessHttpApi"  # the API SAM creates for HttpApi events that name no ApiId
_GLOBALS_SECTION = {
    "AWS::Serverless::Function": "Function",
    "AWS::Serverless::HttpApi": "HttpApi",
    "AWS::Serverless::Api": "Api",
    "AWS::Serverless::SimpleTable": "SimpleTable",
    "AWS::Serverless::StateMachine": "StateMachine",
    "AWS::Serverless::LayerVersion": "LayerVersion",
}


def _is_intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith(("Fn::", "Ref", "Condition"))


def merge(base: Any, override: Any) -> Any:
    """SAM's Globals rule: maps merge, lists add up, anything else (intrinsics too) is replaced by the resource."""
    if isinstance(base, dict) and isinstance(override, dict) and not (_is_intrinsic(base) or _is_intrinsic(override)):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(override, list):
        return [*base, *override]
    return override


def merge_globals(resource: dict[str, Any], globals_: Mapping[str, Any]) -> dict[str, Any]:
    section = _GLOBALS_SECTION.get(resource.get("Type", ""))
    if section is None or section not in globals_:
        return resource
    return {**resource, "Properties": merge(globals_[section], resource.get("Properties", {}))}


@dataclass(frozen=True)
class Event:
    name: str
    type: str  # HttpApi, SQS, DynamoDB, S3, Schedule, ...
    properties: dict[str, Any]  # raw: resolve with Template.resolve


@dataclass(frozen=True)
class Function:
    logical_id: str
    handler: str  # "module.path.function", importable from code_uri
    code_uri: Path
    runtime: str
    timeout: int  # seconds
    memory_size: int  # MB
    environment: dict[str, Any]  # raw Environment.Variables with Globals merged
    events: tuple[Event, ...]
    properties: dict[str, Any]

    @classmethod
    def from_properties(cls, logical_id: str, properties: dict[str, Any], directory: Path) -> Function:
        code_uri = properties.get("CodeUri", ".")
        return cls(
            logical_id=logical_id,
            handler=properties["Handler"],
            # CodeUri may also be an S3 location; then the code can only be next to the template.
            code_uri=(directory / code_uri).resolve() if isinstance(code_uri, str) else directory,
            runtime=str(properties.get("Runtime", "")),
            timeout=int(properties.get("Timeout", 3)),
            memory_size=int(properties.get("MemorySize", 128)),
            environment=dict(properties.get("Environment", {}).get("Variables", {})),
            events=tuple(
                Event(name, event["Type"], dict(event.get("Properties", {})))
                for name, event in properties.get("Events", {}).items()
            ),
            properties=properties,
        )

    def events_of_type(self, event_type: str) -> list[Event]:
        return [event for event in self.events if event.type == event_type]


@dataclass(frozen=True)
class HttpApi:
    logical_id: str
    authorizers: dict[str, Any]  # name -> raw authorizer (IdentitySource, JwtConfiguration)
    default_authorizer: str | None
    cors: Any  # raw CorsConfiguration: a map, true, or None


@dataclass(frozen=True)
class Route:
    method: str  # upper case, or ANY
    path: str | None  # "/items/{id}"; None for the $default route
    function_id: str
    api_id: str
    authorizer: str | None  # None: the route is public
    scopes: tuple[str, ...]  # AuthorizationScopes: the token must carry one of them

    @property
    def route_key(self) -> str:
        return "$default" if self.path is None else f"{self.method} {self.path}"


def http_apis(resources: Mapping[str, dict[str, Any]], functions: Mapping[str, Function]) -> dict[str, HttpApi]:
    apis = {
        logical_id: HttpApi(
            logical_id=logical_id,
            authorizers=dict(properties.get("Auth", {}).get("Authorizers", {})),
            default_authorizer=properties.get("Auth", {}).get("DefaultAuthorizer"),
            cors=properties.get("CorsConfiguration"),
        )
        for logical_id, properties in resources.items()
    }
    implicit = any(
        "ApiId" not in event.properties
        for function in functions.values()
        for event in function.events_of_type("HttpApi")
    )
    if implicit:
        apis[IMPLICIT_HTTP_API] = HttpApi(IMPLICIT_HTTP_API, {}, None, None)
    return apis


def _route(function_id: str, event: Event, apis: Mapping[str, HttpApi]) -> Route:
    properties = event.properties
    api_ref = properties.get("ApiId", {"Ref": IMPLICIT_HTTP_API})
    api = apis[api_ref["Ref"] if isinstance(api_ref, dict) else str(api_ref)]
    auth = properties.get("Auth", {})
    authorizer = auth.get("Authorizer", api.default_authorizer)
    path = properties.get("Path")
    return Route(
        method=str(properties.get("Method", "ANY")).upper(),
        path=None if path in (None, "$default") else str(path),
        function_id=function_id,
        api_id=api.logical_id,
        authorizer=None if authorizer in (None, "NONE") else str(authorizer),
        scopes=tuple(auth.get("AuthorizationScopes", ())),
    )


def routes_of(functions: Mapping[str, Function], apis: Mapping[str, HttpApi]) -> list[Route]:
    return [
        _route(function_id, event, apis)
        for function_id, function in functions.items()
        for event in function.events_of_type("HttpApi")
    ]
