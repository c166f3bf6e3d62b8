"""Configuration of the API functions, read once from the environment at cold start."""

import os
from collections.abc import Mapping
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class MissingSettingsError(RuntimeError):
    """Raised at cold start, so a misconfigured function fails its first request loudly."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    items_table_name: str = Field(alias="ITEMS_TABLE_NAME", min_length=1)
    idempotency_table_name: str = Field(alias="IDEMPOTENCY_TABLE_NAME", min_length=1)
    cursor_secret_arn: str = Field(alias="CURSOR_SECRET_ARN", min_length=1)


def read_settings(environ: Mapping[str, str]) -> Settings:
    try:
        return Settings.model_validate(dict(environ))
    except ValidationError as error:
        problems = ", ".join(f"{e['loc'][0]} ({e['msg']})" for e in error.errors())
        raise MissingSettingsError(f"invalid or missing environment variables: {problems}") from error


@cache
def get_settings() -> Settings:
    return read_settings(os.environ)
