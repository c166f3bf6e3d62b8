"""Configuration of each kind of function (API, audit, jobs), read once from the environment at cold start."""

import os
from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, Literal, Self, cast, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator


class MissingSettingsError(RuntimeError):
    """Raised at cold start, so a misconfigured function fails its first request loudly."""


class EnvironmentSettings(BaseModel):
    """Fields are read from environment variables named by their aliases; other variables are ignored.

    defer_build: a function reads one of these classes; pydantic builds a validator only for the one it reads.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)


def _comma_separated(value: Any) -> Any:
    return tuple(part.strip() for part in value.split(",")) if isinstance(value, str) else value


# The routers (modules of app.api) an API function serves: each function loads only the routes its template
# events send it, and what they import. tests/static checks every function's events against its routers.
ApiRouter = Literal["health", "items", "history", "jobs"]
ApiRouters = Annotated[tuple[ApiRouter, ...], BeforeValidator(_comma_separated), Field(min_length=1)]


class Settings(EnvironmentSettings):
    """The API functions."""

    items_table_name: str = Field(alias="ITEMS_TABLE_NAME", min_length=1)
    idempotency_table_name: str = Field(alias="IDEMPOTENCY_TABLE_NAME", min_length=1)
    cursor_secret_arn: str = Field(alias="CURSOR_SECRET_ARN", min_length=1)
    audit_table_name: str = Field(alias="AUDIT_TABLE_NAME", min_length=1)
    api_routers: ApiRouters = Field(alias="API_ROUTERS")
    # Under `sam local` only: the template declares these when LocalAwsEndpointUrl is set (never in a deployed
    # stack), because SAM CLI skips HTTP API JWT authorizers and the functions then verify tokens themselves.
    local_jwt_issuer: str | None = Field(default=None, alias="LOCAL_JWT_ISSUER", min_length=1)
    local_jwt_audience: str | None = Field(default=None, alias="LOCAL_JWT_AUDIENCE", min_length=1)
    local_jwks_url: str | None = Field(default=None, alias="LOCAL_JWKS_URL", min_length=1)

    @model_validator(mode="after")
    def _local_jwt_complete(self) -> Self:
        if (self.local_jwt_issuer is None) != (self.local_jwt_audience is None):
            raise ValueError("LOCAL_JWT_ISSUER and LOCAL_JWT_AUDIENCE go together")
        return self


class AuditSettings(EnvironmentSettings):
    """The stream function that writes the audit trail."""

    audit_table_name: str = Field(alias="AUDIT_TABLE_NAME", min_length=1)
    audit_retention_days: int = Field(alias="AUDIT_RETENTION_DAYS", ge=1)


class JobsApiSettings(EnvironmentSettings):
    """The import/export routes (JobsFunction only: the other API functions never read it)."""

    jobs_bucket_name: str = Field(alias="JOBS_BUCKET_NAME", min_length=1)
    export_queue_url: str = Field(alias="EXPORT_QUEUE_URL", min_length=1)
    # The presigned POST policy's upper bound; S3's single-request upload limit is 5 GiB.
    import_max_bytes: int = Field(alias="IMPORT_MAX_BYTES", ge=1, le=5 * 1024**3)
    job_retention_days: int = Field(alias="JOB_RETENTION_DAYS", ge=1)


class JobsWorkerSettings(EnvironmentSettings):
    """The queue worker that runs imports and exports."""

    items_table_name: str = Field(alias="ITEMS_TABLE_NAME", min_length=1)
    jobs_bucket_name: str = Field(alias="JOBS_BUCKET_NAME", min_length=1)
    import_queue_url: str = Field(alias="IMPORT_QUEUE_URL", min_length=1)
    export_queue_url: str = Field(alias="EXPORT_QUEUE_URL", min_length=1)  # for the exports' continuations
    # The worker checks an uploaded file's size itself before reading it.
    import_max_bytes: int = Field(alias="IMPORT_MAX_BYTES", ge=1, le=5 * 1024**3)
    # The queues' maxReceiveCount: the attempt that sees it marks the job FAILED before the DLQ takes it.
    max_receive_count: int = Field(alias="JOB_MAX_RECEIVE_COUNT", ge=1)


def read_settings(environ: Mapping[str, str]) -> Settings:
    return _validated(Settings, environ)


def read_audit_settings(environ: Mapping[str, str]) -> AuditSettings:
    return _validated(AuditSettings, environ)


def _validated[T: BaseModel](model: type[T], environ: Mapping[str, str]) -> T:
    try:
        return model.model_validate(dict(environ))
    except ValidationError as error:
        problems = ", ".join(f"{e['loc'][0] if e['loc'] else model.__name__} ({e['msg']})" for e in error.errors())
        raise MissingSettingsError(f"invalid or missing environment variables: {problems}") from error


@cache
def api_routers(variable: str) -> tuple[ApiRouter, ...]:
    """API_ROUTERS parsed as Settings parses it, for the handler to pick its resolver by (see app.handlers.api)."""
    routers = tuple(part.strip() for part in variable.split(",") if part.strip())
    unknown = set(routers) - set(get_args(ApiRouter))
    if unknown or not routers:
        raise MissingSettingsError(f"invalid or missing environment variables: API_ROUTERS ({variable!r})")
    return cast(tuple[ApiRouter, ...], routers)


@cache
def get_settings() -> Settings:
    return read_settings(os.environ)


@cache
def get_audit_settings() -> AuditSettings:
    return read_audit_settings(os.environ)


@cache
def get_jobs_api_settings() -> JobsApiSettings:
    return _validated(JobsApiSettings, os.environ)


@cache
def get_jobs_worker_settings() -> JobsWorkerSettings:
    return _validated(JobsWorkerSettings, os.environ)
