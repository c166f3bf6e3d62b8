"""The import and export jobs a verification's contract suite created, per test user, for the clean-up to delete.

The API cannot list an owner's jobs, so each one is recorded from the 202 of the POST /imports or POST /exports that
created it (verify/contract.py hears every answer the suite receives). The fuzz and the load run in processes of
their own and are not heard: the load deletes each import it saw finish; the fuzz's jobs are left to TTL and the
bucket's lifecycle (docs/pipeline.md).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import requests

# The path of each kind's collection -> the field of its 202 body that names the new job.
JOB_ID_FIELDS = {"/imports": "importId", "/exports": "exportId"}


@dataclass
class JobLedger:
    """Job paths (/imports/<id>, /exports/<id>) by the bearer token that created them, in creation order."""

    paths: dict[str, list[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def heard(self, method: str, route: str, authorization: str, response: requests.Response) -> None:
        """One answer the suite received, to `route` as contract.route_of names it."""
        if method != "POST" or route not in JOB_ID_FIELDS or response.status_code != 202:
            return
        try:
            job_id = response.json().get(JOB_ID_FIELDS[route])
        except (ValueError, AttributeError):  # not the JSON object the API answers: nothing was created that we know
            return
        if isinstance(job_id, str):
            with self._lock:
                self.paths.setdefault(authorization.removeprefix("Bearer "), []).append(f"{route}/{job_id}")

    def created_by(self, token: str) -> list[str]:
        with self._lock:
            return list(self.paths.get(token, []))
