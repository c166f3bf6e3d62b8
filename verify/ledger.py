"""The jobs a verification's fuzz and load create, heard in their own processes and written to a file for the
verify process to delete (verify/jobs.py holds what it heard itself).

`make verify` names the file in VERIFY_JOB_LEDGER for the schemathesis and Locust runs it starts; one line per job,
`<bearer token>\t/imports/<id>`, each one write in append mode (O_APPEND: lines of Locust's concurrent users
do not interleave). Without
the variable (a plain `make fuzz` or `make load`) nothing is written. The file lives in a private temporary
directory for the run and is deleted with it: the tokens are the run's own short-lived test users'.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

VARIABLE = "VERIFY_JOB_LEDGER"
# The path of each kind's collection -> the field of its 202 body that names the new job.
JOB_ID_FIELDS = {"/imports": "importId", "/exports": "exportId"}


def created_job(method: str, path: str, status: int, body: bytes | str) -> str | None:
    """/imports/<id> or /exports/<id> when this answer created a job, else None."""
    if method.upper() != "POST" or path not in JOB_ID_FIELDS or status != 202:
        return None
    try:
        job_id = json.loads(body).get(JOB_ID_FIELDS[path])
    except (ValueError, AttributeError):  # not the JSON object the API answers: nothing was created that we know
        return None
    return f"{path}/{job_id}" if isinstance(job_id, str) and job_id else None


def record(authorization: Any, method: str, path: str, status: int, body: bytes | str) -> None:
    """Appends the job this answer created, if any, when a verification is listening."""
    ledger = os.environ.get(VARIABLE)
    job = created_job(method, path, status, body)
    if not ledger or job is None or not isinstance(authorization, str):
        return
    with Path(ledger).open("a", encoding="utf-8") as lines:
        lines.write(f"{authorization.removeprefix('Bearer ')}\t{job}\n")


def read(ledger: Path) -> list[tuple[str, str]]:
    """(token, job path) for every job written to the ledger."""
    if not ledger.exists():
        return []
    entries = (line.split("\t", 1) for line in ledger.read_text(encoding="utf-8").splitlines() if "\t" in line)
    return [(token, job) for token, job in entries]
