"""The template as SAM expands it (scripts/expand_template.py), cached under .aws-sam/local/iam/ by content hash.

The SAM translator pins pydantic below what the functions use, so it runs in an environment of its own, with the
version the Makefile pins in SAM_TRANSLATOR_PIN (one place for it). A first start with a changed template pays about
3 s for it; later starts read the cached expansion.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devstack.template import REPO_ROOT, Template

CACHE_DIRECTORY = REPO_ROOT / ".aws-sam" / "local" / "iam"
EXPAND_SCRIPT = REPO_ROOT / "scripts" / "expand_template.py"


def translator_requirement() -> str:
    """aws-sam-translator==<version>, as the Makefile pins it for SAM_TRANSLATOR (and the CDK tests)."""
    found = re.search(r"^SAM_TRANSLATOR_PIN :=\s*(aws-sam-translator==\S+)", (REPO_ROOT / "Makefile").read_text(), re.M)
    if found is None:
        raise RuntimeError("Makefile: no SAM_TRANSLATOR_PIN line naming aws-sam-translator==<version>")
    return found.group(1)


def _uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv") or next(iter(sorted(REPO_ROOT.glob(".tools/uv-*/bin/uv"))), None)
    if found is None:
        raise RuntimeError("no uv to run the SAM translator with (make install provisions one)")
    return str(found)


def parameter_arguments(parameters: Mapping[str, Any]) -> list[str]:
    return [f"{name}={','.join(value) if isinstance(value, list) else value}" for name, value in parameters.items()]


def _cache_path(template: Template, requirement: str) -> Path:
    digest = hashlib.sha256()
    for part in (template.path.read_bytes(), EXPAND_SCRIPT.read_bytes(), requirement.encode()):
        digest.update(part)
    digest.update(json.dumps(parameter_arguments(template.parameters), sort_keys=True).encode())
    return CACHE_DIRECTORY / f"expanded-{digest.hexdigest()[:16]}.json"


def expanded_template(template: Template) -> dict[str, Any]:
    """What CloudFormation deploys for this template and its parameters, SAM resources expanded."""
    requirement = translator_requirement()
    path = _cache_path(template, requirement)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        command = [_uv(), "run", "--no-project", "--with", requirement, "python", str(EXPAND_SCRIPT)]
        command += [str(template.path), str(temporary), *parameter_arguments(template.parameters)]
        environment = {**os.environ, "AWS_DEFAULT_REGION": template.region}
        # From the repository, as the Makefile runs SAM_TRANSLATOR: uv then picks the same base interpreter.
        finished = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=REPO_ROOT, check=False)  # noqa: S603
        if finished.returncode != 0:
            raise RuntimeError(f"SAM translator failed on {template.path}:\n{finished.stderr}{finished.stdout}")
        temporary.replace(path)
    expanded: dict[str, Any] = json.loads(path.read_text())
    return expanded
