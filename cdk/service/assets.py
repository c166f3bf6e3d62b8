"""The function code (src/) and the dependencies layer (layer/requirements.txt) as CDK file assets, built without
Docker: the layer is pip-installed for Lambda's arm64 and Python 3.13 from binary wheels only, as `sam build`
does with BuildArchitecture arm64 (a package without such a wheel fails the build instead of compiling here)."""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from aws_cdk import aws_s3_assets
from constructs import Construct

# layer/requirements.txt is uv.lock exported (make requirements): every package pinned, so no resolution.
PIP_INSTALL = (
    *("install", "--quiet", "--quiet", "--disable-pip-version-check", "--only-binary=:all:", "--no-deps"),
    *("--platform", "manylinux2014_aarch64", "--python-version", "3.13", "--implementation", "cp"),
)
# What `sam build` leaves out of CodeUri too: bytecode of the machine that built it.
CODE_EXCLUDES = ["**/__pycache__", "**/*.pyc"]


def layer_directory(root: Path) -> Path:
    """The installed layer, one folder per requirements.txt and install command (rebuilt when one changes)."""
    requirements = root / "layer" / "requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes() + " ".join(PIP_INSTALL).encode()).hexdigest()[:16]
    return root / ".aws-sam" / "cdk" / f"layer-{digest}"


def build_layer(root: Path) -> Path:
    target = layer_directory(root)
    if (target / "python").is_dir():
        return target
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)  # what an interrupted build left
    requirements = root / "layer" / "requirements.txt"
    install = [sys.executable, "-m", "pip", *PIP_INSTALL, "--target", str(partial / "python"), "-r", str(requirements)]
    subprocess.run(install, check=True)  # noqa: S603 - a fixed command
    partial.rename(target)
    return target


def s3_location(asset: aws_s3_assets.Asset) -> dict[str, Any]:
    """The {Bucket, Key} form SAM's CodeUri and ContentUri accept."""
    return {"Bucket": asset.s3_bucket_name, "Key": asset.s3_object_key}


class ServiceAssets(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, root: Path) -> None:
        super().__init__(scope, construct_id)
        self.code = aws_s3_assets.Asset(self, "Code", path=str(root / "src"), exclude=CODE_EXCLUDES)
        self.layer = aws_s3_assets.Asset(self, "Layer", path=str(build_layer(root)))
        self.code_location = s3_location(self.code)
        self.layer_location = s3_location(self.layer)
