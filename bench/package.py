"""Lambda-like deployment packages for the benchmarks: what `sam build` ships, laid out as Lambda loads it.

The dependencies (a requirements file, installed with `--target` for this machine's architecture, precompiled)
are cached in the git-ignored `.bench/` folder under the hash of the requirements and the interpreter, so only a
change of the lock rebuilds them. The code (`src/`) is copied and precompiled on every run. A process imports
them with `python3.13 -S` (no site-packages: nothing of the development virtualenv) and PYTHONPATH set to the
code, then the dependencies, in Lambda's order (/var/task, then the layer's /opt/python).
"""

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench"


@dataclass(frozen=True)
class Package:
    python: str  # the interpreter's real path (a pyenv shim would add its own start-up to every sample)
    code: Path
    dependencies: Path

    @property
    def pythonpath(self) -> str:
        return f"{self.code}:{self.dependencies}"

    def command(self, program: str) -> list[str]:
        return [self.python, "-S", "-c", program]


def interpreter() -> str:
    """The base Python 3.13 behind the development virtualenv, as Lambda's runtime has no virtualenv."""
    return os.path.realpath(sys.executable)


def precompile(python: str, directory: Path) -> None:
    # unchecked-hash, as `make build` does: Lambda's file system is read-only, so .pyc files must ship.
    subprocess.run(
        [python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(directory)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def build_dependencies(python: str, requirements: Path) -> Path:
    version = subprocess.run([python, "-VV"], capture_output=True, text=True, check=True).stdout
    digest = hashlib.sha256(requirements.read_bytes() + version.encode()).hexdigest()[:16]
    target = CACHE / f"dependencies-{digest}"
    if target.is_dir():
        return target
    print(f"installing {requirements.relative_to(ROOT)} into {target.relative_to(ROOT)}", file=sys.stderr)
    staging = CACHE / f"staging-{digest}"
    shutil.rmtree(staging, ignore_errors=True)
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--root-user-action=ignore",
            "--no-deps",
            "--only-binary",
            ":all:",
            "--target",
            str(staging),
            "-r",
            str(requirements),
        ],
        check=True,
    )
    precompile(python, staging)
    staging.rename(target)
    return target


def build_code(python: str, source: Path) -> Path:
    target = CACHE / f"code-{hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:8]}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "requirements*.txt"))
    precompile(python, target)
    return target


def build_package(requirements: Path, source: Path = ROOT / "src") -> Package:
    python = interpreter()
    return Package(
        python=python, code=build_code(python, source), dependencies=build_dependencies(python, requirements)
    )


def tree_size(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())
