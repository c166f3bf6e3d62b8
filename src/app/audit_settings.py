"""Configuration of the stream function that writes the audit trail, read once at cold start.

Apart from app.settings so that no other function creates this class at cold start (see app.settings).
"""

import os
from collections.abc import Mapping
from functools import cache
from typing import NamedTuple, Self

from app.settings import EnvironmentReader


class AuditSettings(NamedTuple):
    """The stream function that writes the audit trail."""

    audit_table_name: str
    audit_retention_days: int

    @classmethod
    def read(cls, environ: Mapping[str, str]) -> Self:
        env = EnvironmentReader(environ)
        return env.checked(
            cls(audit_table_name=env.text("AUDIT_TABLE_NAME"), audit_retention_days=env.integer("AUDIT_RETENTION_DAYS"))
        )


def read_audit_settings(environ: Mapping[str, str]) -> AuditSettings:
    return AuditSettings.read(environ)


@cache
def get_audit_settings() -> AuditSettings:
    return AuditSettings.read(os.environ)
