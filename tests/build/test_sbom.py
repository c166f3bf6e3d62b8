"""What `make build` packaged, as its SBOM says (scripts/sbom.py): every pinned runtime package, nothing else."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

ROOT = Path(__file__).parents[2]
SBOM = ROOT / ".aws-sam" / "build" / "sbom.cdx.json"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def pinned() -> dict[str, str]:
    lines = (ROOT / "layer" / "requirements.txt").read_text().splitlines()
    pins = [line.split(";")[0].strip() for line in lines if "==" in line and not line.lstrip().startswith("#")]
    return {canonical(pin.split("==")[0]): pin.split("==")[1].strip() for pin in pins}


@pytest.fixture(scope="module")
def sbom() -> dict[str, Any]:
    if not SBOM.exists():
        pytest.fail(f"{SBOM} is missing: `make build` writes it")
    return dict(json.loads(SBOM.read_text()))


def test_the_sbom_is_valid_cyclonedx_1_6(sbom: dict[str, Any]) -> None:
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(SBOM.read_text()) is None


def test_the_sbom_lists_every_pinned_package_at_its_version_and_nothing_else(sbom: dict[str, Any]) -> None:
    listed = {canonical(c["name"]): c["version"] for c in sbom["components"]}

    assert listed == pinned()


def test_every_package_has_a_hash_and_a_licence_and_the_code_its_own_hash(sbom: dict[str, Any]) -> None:
    for component in sbom["components"]:
        assert [h["alg"] for h in component["hashes"]] == ["SHA-256"], component["name"]
        assert component.get("licenses"), component["name"]
        assert component["purl"].startswith("pkg:pypi/"), component["name"]
    code = sbom["metadata"]["component"]
    functions = {p["value"] for p in code["properties"] if p["name"] == "aws:lambda:function"}
    assert (code["type"], len(code["hashes"])) == ("application", 1)
    assert functions == {p.name for p in SBOM.parent.iterdir() if p.is_dir() and p.name != "DependenciesLayer"}
