"""Configuration of each kind of function (API, audit, jobs), read once from the environment at cold start.

Plain dataclasses and a small reader rather than pydantic models: the audit function validates no client input,
and pydantic models for its settings alone would cost it about a third of a bare boto3 client at cold start
(`make bench`). A setting that is missing, empty or out of range fails loudly, every problem named at once.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal, Self, cast, get_args


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
_MAX_UPLOAD_BYTES = 5 * 1024**3  # S3's single-request upload limit: the presigned POST policy's upper bound


class _Environment:
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


@dataclass(frozen=True)
class Settings:
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
        env = _Environment(environ)
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


@dataclass(frozen=True)
class AuditSettings:
    """The stream function that writes the audit trail."""

    audit_table_name: str
    audit_retention_days: int

    @classmethod
    def read(cls, environ: Mapping[str, str]) -> Self:
        env = _Environment(environ)
        return env.checked(
            cls(audit_table_name=env.text("AUDIT_TABLE_NAME"), audit_retention_days=env.integer("AUDIT_RETENTION_DAYS"))
        )


@dataclass(frozen=True)
class JobsApiSettings:
    """The import/export routes (JobsFunction only: the other API functions never read it)."""

    jobs_bucket_name: str
    export_queue_url: str
    import_max_bytes: int
    job_retention_days: int

    @classmethod
    def read(cls, environ: Mapping[str, str]) -> Self:
        env = _Environment(environ)
        return env.checked(
            cls(
                jobs_bucket_name=env.text("JOBS_BUCKET_NAME"),
                export_queue_url=env.text("EXPORT_QUEUE_URL"),
                import_max_bytes=env.integer("IMPORT_MAX_BYTES", maximum=_MAX_UPLOAD_BYTES),
                job_retention_days=env.integer("JOB_RETENTION_DAYS"),
            )
        )


@dataclass(frozen=True)
class JobsWorkerSettings:
    """The queue worker that runs imports and exports."""

    items_table_name: str
    jobs_bucket_name: str
    import_queue_url: str
    export_queue_url: str  # for the exports' continuations
    # The worker checks an uploaded file's size itself before reading it.
    import_max_bytes: int
    # The queues' maxReceiveCount: the attempt that sees it marks the job FAILED before the DLQ takes it.
    max_receive_count: int

    @classmethod
    def read(cls, environ: Mapping[str, str]) -> Self:
        env = _Environment(environ)
        return env.checked(
            cls(
                items_table_name=env.text("ITEMS_TABLE_NAME"),
                jobs_bucket_name=env.text("JOBS_BUCKET_NAME"),
                import_queue_url=env.text("IMPORT_QUEUE_URL"),
                export_queue_url=env.text("EXPORT_QUEUE_URL"),
                import_max_bytes=env.integer("IMPORT_MAX_BYTES", maximum=_MAX_UPLOAD_BYTES),
                max_receive_count=env.integer("JOB_MAX_RECEIVE_COUNT"),
            )
        )


def read_settings(environ: Mapping[str, str]) -> Settings:
    return Settings.read(environ)


def read_audit_settings(environ: Mapping[str, str]) -> AuditSettings:
    return AuditSettings.read(environ)


@cache
def api_routers(variable: str) -> tuple[ApiRouter, ...]:
    """API_ROUTERS parsed as Settings parses it, for the handler to pick its resolver by (see app.handlers.api)."""
    env = _Environment({"API_ROUTERS": variable})
    return env.checked(env.routers("API_ROUTERS"))


@cache
def get_settings() -> Settings:
    return Settings.read(os.environ)


@cache
def get_audit_settings() -> AuditSettings:
    return AuditSettings.read(os.environ)


@cache
def get_jobs_api_settings() -> JobsApiSettings:
    return JobsApiSettings.read(os.environ)


@cache
def get_jobs_worker_settings() -> JobsWorkerSettings:
    return JobsWorkerSettings.read(os.environ)
