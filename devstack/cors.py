"""The HTTP API's CorsConfiguration: preflights answered by the gateway, CORS headers added to responses."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

Headers = list[tuple[str, str]]
_ALLOW_ALL = {"AllowOrigins": ["*"], "AllowMethods": ["*"], "AllowHeaders": ["*"]}  # SAM's CorsConfiguration: true


def _values(configuration: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(str(value).lower() for value in configuration.get(key) or ())


def _present(headers: Headers) -> Headers:
    return [(name, value) for name, value in headers if value]


def _requested(request_headers: str) -> list[str]:
    return [header.strip().lower() for header in request_headers.split(",") if header.strip()]


@dataclass(frozen=True)
class Cors:
    allow_origins: tuple[str, ...]
    allow_methods: tuple[str, ...]  # lower case, like every other list here
    allow_headers: tuple[str, ...]
    expose_headers: tuple[str, ...]
    max_age: int | None
    allow_credentials: bool

    @classmethod
    def from_configuration(cls, configuration: Any) -> Cors | None:
        """From a resolved CorsConfiguration (a map, or true for everything); None when CORS is off."""
        if not configuration:
            return None
        settings: dict[str, Any] = _ALLOW_ALL if configuration is True else configuration
        return cls(
            allow_origins=_values(settings, "AllowOrigins"),
            allow_methods=_values(settings, "AllowMethods"),
            allow_headers=_values(settings, "AllowHeaders"),
            expose_headers=_values(settings, "ExposeHeaders"),
            max_age=int(settings["MaxAge"]) if "MaxAge" in settings else None,
            allow_credentials=bool(settings.get("AllowCredentials", False)),
        )

    def origin_allowed(self, origin: str) -> bool:
        # HTTP APIs accept "*" and wildcard subdomains such as https://*.example.com.
        return any(fnmatch.fnmatchcase(origin.lower(), allowed) for allowed in self.allow_origins)

    def _allows(self, listed: tuple[str, ...], values: list[str]) -> bool:
        return "*" in listed or all(value in listed for value in values)

    def _allow_origin(self, origin: str) -> Headers:
        wildcard = "*" in self.allow_origins and not self.allow_credentials
        headers = [("access-control-allow-origin", "*" if wildcard else origin)]
        return headers + ([("access-control-allow-credentials", "true")] if self.allow_credentials else [])

    def preflight(self, origin: str, method: str, request_headers: str) -> Headers:
        """Headers of the 204 answer; none when origin, method or a requested header is not allowed."""
        allowed = self._allows(self.allow_methods, [method.lower()]) and self._allows(
            self.allow_headers, _requested(request_headers)
        )
        if not (allowed and self.origin_allowed(origin)):
            return []
        headers = [
            *self._allow_origin(origin),
            ("access-control-allow-methods", ",".join(self.allow_methods).upper()),
            ("access-control-allow-headers", ",".join(self.allow_headers)),
        ]
        max_age = [("access-control-max-age", str(self.max_age))] if self.max_age is not None else []
        return _present(headers + max_age)

    def response_headers(self, origin: str | None) -> Headers:
        if not origin or not self.origin_allowed(origin):
            return []
        return _present([*self._allow_origin(origin), ("access-control-expose-headers", ",".join(self.expose_headers))])
