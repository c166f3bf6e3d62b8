"""The local HTTP API: CORS preflight, route selection, JWT authorizer, then the route's function in-process."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from devstack.apigw import HttpResponse, http_response, jwt_authorizer_context, message_response, request_event
from devstack.authorizer import ForbiddenError, JwtAuthorizer, UnauthorizedError
from devstack.cors import Cors
from devstack.execution.context import FunctionError
from devstack.execution.function import FunctionRuntime
from devstack.routing import RouteMatch, Router
from devstack.tracing.ids import TRACE_HEADER

LOG = logging.getLogger("devstack")
_WWW_AUTHENTICATE = ("www-authenticate", 'Bearer error="invalid_token"')


@dataclass(frozen=True)
class ApiConfig:
    api_id: str  # the API's local id, as requestContext.apiId
    cors: Cors | None
    authorizers: dict[str, JwtAuthorizer] = field(default_factory=dict)


@dataclass
class Outcome:
    response: HttpResponse
    label: str  # for the log line: the route and function, or why no function ran


class Gateway:
    """A WSGI application standing in for API Gateway in front of the template's functions."""

    def __init__(self, router: Router, runtimes: Mapping[str, FunctionRuntime], apis: Mapping[str, ApiConfig]) -> None:
        self.router = router
        self.runtimes = runtimes
        self.apis = apis
        self._default_api = next(iter(apis.values()), ApiConfig("local", None))

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        started = time.perf_counter()
        outcome = self.handle(request)
        elapsed = (time.perf_counter() - started) * 1000
        LOG.info(
            "%s %s %s in %.1f ms [%s]", request.method, request.path, outcome.response.status, elapsed, outcome.label
        )
        response = Response(outcome.response.body, status=outcome.response.status, headers=outcome.response.headers)
        if not any(name.lower() == "content-type" for name, _ in outcome.response.headers):
            del response.headers["Content-Type"]  # werkzeug adds text/plain; API Gateway adds nothing
        return response(environ, start_response)

    def _api_for(self, match: RouteMatch | None) -> ApiConfig:
        return self.apis.get(match.route.api_id, self._default_api) if match else self._default_api

    def _preflight(self, request: Request) -> Outcome | None:
        """API Gateway answers a CORS preflight itself, before routes and authorizers, when CORS is configured."""
        origin = request.headers.get("Origin")
        method = request.headers.get("Access-Control-Request-Method")
        if request.method != "OPTIONS" or not origin or not method:
            return None
        cors = self._api_for(self.router.match(method.upper(), request.path)).cors
        if cors is None:
            return None
        headers = cors.preflight(origin, method, request.headers.get("Access-Control-Request-Headers", ""))
        return Outcome(HttpResponse(204, headers, b""), "CORS preflight")

    def handle(self, request: Request) -> Outcome:
        preflight = self._preflight(request)
        if preflight is not None:
            return preflight
        match = self.router.match(request.method, request.path)
        if match is None:
            return Outcome(message_response(404, "Not Found"), "no route")
        api = self._api_for(match)
        outcome = self._authorized_invoke(request, match, api)
        if api.cors is not None:
            outcome.response.headers.extend(api.cors.response_headers(request.headers.get("Origin")))
        return outcome

    def _authorized_invoke(self, request: Request, match: RouteMatch, api: ApiConfig) -> Outcome:
        route = match.route
        label = f"{route.route_key} -> {route.function_id}"
        authorizer_context = None
        if route.authorizer is not None:
            try:
                headers = {name.lower(): value for name, value in request.headers.items()}
                claims = api.authorizers[route.authorizer].authorize(headers, route.scopes)
            except UnauthorizedError as error:
                return Outcome(message_response(401, "Unauthorized", [_WWW_AUTHENTICATE]), f"{label}: {error}")
            except ForbiddenError as error:
                return Outcome(message_response(403, "Forbidden"), f"{label}: {error}")
            authorizer_context = jwt_authorizer_context(claims)
        event = request_event(
            request,
            route_key=route.route_key,
            api_id=api.api_id,
            path_parameters=match.path_parameters,
            authorizer=authorizer_context,
        )
        try:
            trace_header = event["headers"][TRACE_HEADER]
            response = http_response(self.runtimes[route.function_id].invoke(event, trace_header=trace_header))
        except (FunctionError, TypeError, ValueError, KeyError) as error:
            return Outcome(message_response(500, "Internal Server Error"), f"{label}: {error}")
        return Outcome(response, label)
