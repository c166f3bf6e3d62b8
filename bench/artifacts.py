"""Sizes of what `make build` produced (.aws-sam/build): each function's package and the dependencies layer,
unzipped and zipped (deflate, as `sam deploy` and `sam sync --code` upload them).

A code-only change uploads the functions' packages only; the layer is uploaded when layer/requirements.txt changes.
"""

import io
import sys
import zipfile
from pathlib import Path

from bench.package import ROOT, tree_size

BUILD = ROOT / ".aws-sam" / "build"


def zipped_size(directory: Path) -> int:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(directory))
    return buffer.tell()


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def main() -> None:
    if not BUILD.is_dir():
        print("artifact sizes: no .aws-sam/build, run `make build` first", file=sys.stderr)
        return
    print("| artifact | unzipped | zipped |\n|---|---|---|")
    for directory in sorted(path for path in BUILD.iterdir() if path.is_dir()):
        print(f"| {directory.name} | {megabytes(tree_size(directory))} | {megabytes(zipped_size(directory))} |")


if __name__ == "__main__":
    main()
