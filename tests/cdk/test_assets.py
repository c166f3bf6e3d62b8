"""The CDK assets: the function code is exactly src/, the dependencies layer is layer/requirements.txt installed for
Lambda's arm64 (every pinned package at its version, nothing else, no native code for another machine)."""

import re
from importlib.metadata import distributions
from pathlib import Path

import pytest

from tests.cdk.conftest import Synthesis

ROOT = Path(__file__).parents[2]
PINNED = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", flags=re.MULTILINE)
ELF_MAGIC = b"\x7fELF"
EM_AARCH64 = 183  # e_machine of an ELF header (little endian, offset 18)


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def staged(synthesis: Synthesis, asset_path: str) -> Path:
    return synthesis.outdir / asset_path


def files_under(directory: Path, *, without_bytecode: bool = False) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in directory.rglob("*")
        if path.is_file() and not (without_bytecode and ("__pycache__" in path.parts or path.suffix == ".pyc"))
    }


@pytest.fixture(scope="module")
def layer(synthesis: Synthesis) -> Path:
    return staged(synthesis, synthesis.stack.service.assets.layer.asset_path) / "python"


def test_the_code_asset_is_exactly_src(synthesis: Synthesis) -> None:
    code = staged(synthesis, synthesis.stack.service.assets.code.asset_path)

    # The bytecode of the machine that synthesized stays out, as `sam build` leaves it out of CodeUri.
    assert files_under(code) == files_under(ROOT / "src", without_bytecode=True)


def test_the_layer_holds_every_pinned_requirement_at_its_version_and_nothing_else(layer: Path) -> None:
    pinned = {
        normalized(name): version for name, version in PINNED.findall((ROOT / "layer/requirements.txt").read_text())
    }

    installed = {normalized(dist.metadata["Name"]): dist.version for dist in distributions(path=[str(layer)])}

    assert installed == pinned


def test_the_layer_holds_only_arm64_native_code(layer: Path) -> None:
    native = [path for path in layer.rglob("*") if path.is_file() and path.read_bytes()[:4] == ELF_MAGIC]
    machines = {str(path.relative_to(layer)): int.from_bytes(path.read_bytes()[18:20], "little") for path in native}

    assert native, "the layer is expected to carry compiled extensions (pydantic-core, cryptography)"
    assert {path: machine for path, machine in machines.items() if machine != EM_AARCH64} == {}
