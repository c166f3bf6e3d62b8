"""Configuration of the API functions, read once from the environment at cold start, and the reader every
function's settings use (the audit function's in app.audit_settings, the jobs' in app.job_settings).

Each kind of function's settings live in their own module: every class costs its creation at cold start, so a
function creates only the settings it reads. NamedTuples (about 0.0009 B each in instructions, `make
bench-instructions`, where a frozen dataclass costs 0.0038: dataclasses compiles its methods) and a small reader
rather than pydantic models: the audit function validates no client input, and pydantic models for its settings
alone would cost it about a third of a bare boto3 client at cold start (`make bench`). A setting that is missing,
empty or out of range fails loudly, every problem named at once.
"""

import os
from collections.abc import Mapping
from functools import cache
from typing import Literal, NamedTuple, Self, cast, get_args


class MissingSettingsError(RuntimeError):
    """Raised at cold start, so a misconfigured function fails its first request loudly."""


# The routers (modules of app.api) an API function serves: each function loads only the routes its template
# events send it, and what they import. tests/static checks every function's events against its routers.
ApiRouter = Literal[
    "health",
    "items",
    "history",
    "jobs",
    # make resource: routers above
]


class EnvironmentReader:
    """Reads variables and collects what is wrong with them; `check` raises once for all of them."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ
        self._problems: list[str] = []

    def text(self, name: str) -> str:
        value = self._environ.get(name, "")
        if not value:
            self._problems.append(f"{name} (missing or empty)")
        return value

    def optional_text(self, name: str) -> str | None:
        return self._environ.get(name) or None

    def integer(self, name: str, *, maximum: int | None = None) -> int:
        """A positive integer, at most `maximum`."""
        value = self.text(name)
        if not value:
            return 0
        number = int(value) if value.isascii() and value.isdecimal() else 0
        if number < 1 or (maximum is not None and number > maximum):
            self._problems.append(f"{name} ({value!r} is not an integer from 1 to {maximum or 'any'})")
        return number

    def routers(self, name: str) -> tuple[ApiRouter, ...]:
        variable = self._environ.get(name, "")
        routers = tuple(part.strip() for part in variable.split(",") if part.strip())
        if not routers or set(routers) - set(get_args(ApiRouter)):
            self._problems.append(f"{name} ({variable!r}: a comma-separated list of {', '.join(get_args(ApiRouter))})")
        return cast(tuple[ApiRouter, ...], routers)

    def together(self, *names: str) -> None:
        """These variables are set all or none."""
        if len({bool(self._environ.get(name)) for name in names}) > 1:
            self._problems.append(f"{' and '.join(names)} (they go together)")

    def checked[T](self, settings: T) -> T:
        """The settings read, unless a variable was missing or wrong: then every problem, named at once."""
        if self._problems:
            raise MissingSettingsError(f"invalid or missing environment variables: {', '.join(self._problems)}")
        return settings


class Settings(NamedTuple):
    """The API functions."""

    items_table_name: str
    idempotency_table_name: str
    cursor_secret_arn: str
    audit_table_name: str
    api_routers: tuple[ApiRouter, ...]
    # Under `sam local` only: the template declares these when LocalAwsEndpointUrl is set (never in a deployed
    # stack), because SAM CLI skips HTTP API JWT authorizers and the functions then verify tokens themselves.
    local_jwt_issuer: str | None = None
    local_jwt_audience: str | None = None
    local_jwks_url: str | None = None

    @classmethod
    def read(cls, environ: Mapping[str, str]) -> Self:
        env = EnvironmentReader(environ)
        env.together("LOCAL_JWT_ISSUER", "LOCAL_JWT_AUDIENCE")
        return env.checked(
            cls(
                items_table_name=env.text("ITEMS_TABLE_NAME"),
                idempotency_table_name=env.text("IDEMPOTENCY_TABLE_NAME"),
                cursor_secret_arn=env.text("CURSOR_SECRET_ARN"),
                audit_table_name=env.text("AUDIT_TABLE_NAME"),
                api_routers=env.routers("API_ROUTERS"),
                local_jwt_issuer=env.optional_text("LOCAL_JWT_ISSUER"),
                local_jwt_audience=env.optional_text("LOCAL_JWT_AUDIENCE"),
                local_jwks_url=env.optional_text("LOCAL_JWKS_URL"),
            )
        )


def read_settings(environ: Mapping[str, str]) -> Settings:
    return Settings.read(environ)


@cache
def api_routers(variable: str) -> tuple[ApiRouter, ...]:
    """API_ROUTERS parsed as Settings parses it, for the handler to pick its resolver by (see app.handlers.api)."""
    env = EnvironmentReader({"API_ROUTERS": variable})
    return env.checked(env.routers("API_ROUTERS"))


@cache
def get_settings() -> Settings:
    return Settings.read(os.environ)
