"""A CycloneDX SBOM of exactly what `sam build` packaged (make build): the dependencies layer and the functions' code.

    sbom.py [BUILD_DIRECTORY]     default .aws-sam/build; writes BUILD_DIRECTORY/sbom.cdx.json

Each package installed in the layer is a component with its name, version, package URL, licence (its
License-Expression, else its License field, else its OSI classifiers) and a SHA-256 of its dist-info RECORD, the
list of every file the package installed with each file's own hash: the fingerprint of what was installed, which a
wheel's hash is not (sam build picks the wheel). The functions' code (one CodeUri for every function) is one
application component, hashed over its files. A build without a layer, or with functions whose code differs, is
refused: one line, exit 2.
"""

from __future__ import annotations

import hashlib
import sys
import tomllib
from importlib.metadata import Distribution, distributions
from pathlib import Path

from cyclonedx.contrib.license.factories import LicenseFactory
from cyclonedx.model import HashAlgorithm, HashType, Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.license import License
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

ROOT = Path(__file__).resolve().parents[1]
LAYER = "DependenciesLayer"
SBOM_NAME = "sbom.cdx.json"
_LICENSES = LicenseFactory()


class BuildError(Exception):
    """What the build directory lacks: one line, exit 2."""


def licenses_of(distribution: Distribution) -> list[License]:
    metadata = distribution.metadata
    expression = metadata.get("License-Expression")
    if expression:
        return [_LICENSES.make_from_string(expression)]
    declared = (metadata.get("License") or "").strip()
    if declared and "\n" not in declared and len(declared) < 100:  # some packages put the whole text here
        return [_LICENSES.make_from_string(declared)]
    classifiers = metadata.get_all("Classifier") or []
    names = [c.rsplit(" :: ", 1)[-1] for c in classifiers if c.startswith("License :: OSI Approved :: ")]
    return [_LICENSES.make_from_string(name) for name in names]


def package_component(distribution: Distribution) -> Component:
    name, version = distribution.metadata["Name"], distribution.version
    record = distribution.read_text("RECORD") or ""
    return Component(
        type=ComponentType.LIBRARY,
        name=name,
        version=version,
        bom_ref=f"pypi:{name}@{version}",
        purl=PackageURL(type="pypi", name=name.lower(), version=version),
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content=hashlib.sha256(record.encode()).hexdigest())],
        licenses=licenses_of(distribution),
    )


def tree_digest(directory: Path) -> str:
    """SHA-256 over every source file's path and content (compiled caches left out: they record build times)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def code_component(build: Path) -> Component:
    functions = sorted(p for p in build.iterdir() if p.is_dir() and p.name != LAYER)
    digests = {tree_digest(function) for function in functions}
    if len(digests) != 1:
        raise BuildError(f"the functions' code differs between {', '.join(p.name for p in functions)}")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return Component(
        type=ComponentType.APPLICATION,
        name=project["name"],
        version=project["version"],
        bom_ref="code",
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content=digests.pop())],
        properties=[Property(name="aws:lambda:function", value=function.name) for function in functions],
    )


def bill_of_materials(build: Path) -> Bom:
    layer = build / LAYER / "python"
    if not layer.is_dir():
        raise BuildError(f"no {LAYER} in {build}: run `make build` first")
    bom = Bom()
    bom.metadata.component = code = code_component(build)
    packages = [package_component(d) for d in distributions(path=[str(layer)])]
    for package in packages:
        bom.components.add(package)
    bom.register_dependency(code, packages)  # what the layer holds, the code runs with (no graph between them)
    return bom


def main(argv: list[str]) -> int:
    build = Path(argv[0]) if argv else ROOT / ".aws-sam" / "build"
    try:
        bom = bill_of_materials(build)
    except BuildError as error:
        print(f"sbom: {error}", file=sys.stderr)
        return 2
    (build / SBOM_NAME).write_text(JsonV1Dot6(bom).output_as_string(indent=2))
    print(f"{build / SBOM_NAME}: {len(bom.components)} packages of the layer, and the functions' code")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
