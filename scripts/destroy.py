"""Empties a dev stack's versioned jobs bucket so that `sam delete` can remove it (`make destroy STACK=items-dev`).

CloudFormation deletes a bucket only when it is empty, and a versioned bucket keeps every version and delete marker
of every import and export file. This deletes all of them, then `make destroy` runs `sam delete`. A prod stack is
refused: its data stores are retained by design (DeletionPolicy Retain), and its files are someone's data. A stack
that was never deployed, or whose creation was rolled back (its bucket went with it), has nothing to empty: the
preview workflow deletes every pull request's stack this way, deployed or not.
"""

import argparse
import sys
from collections.abc import Sequence
from typing import Any

import boto3
from botocore.exceptions import ClientError

BATCH = 1000  # DeleteObjects' limit


def stage_and_bucket(cloudformation: Any, stack: str) -> tuple[str, str] | None:
    """The stack's Stage and jobs bucket; None when there is no bucket to empty (no stack, or a failed creation)."""
    try:
        [description] = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    except ClientError as error:
        if "does not exist" in error.response["Error"].get("Message", ""):
            return None
        raise
    if description["StackStatus"] == "ROLLBACK_COMPLETE":
        return None
    parameters = {p["ParameterKey"]: p.get("ParameterValue", "") for p in description.get("Parameters", [])}
    outputs = {o["OutputKey"]: o["OutputValue"] for o in description.get("Outputs", [])}
    if "JobsBucketName" not in outputs:
        raise SystemExit(f"{stack} has no JobsBucketName output: not an items stack")
    return parameters.get("Stage", "dev"), outputs["JobsBucketName"]


def empty_bucket(s3: Any, bucket: str) -> int:
    """Deletes every object version and delete marker; returns how many."""
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        entries = [
            {"Key": entry["Key"], "VersionId": entry["VersionId"]}
            for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
        ]
        for start in range(0, len(entries), BATCH):
            batch = entries[start : start + BATCH]
            errors = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True}).get("Errors", [])
            if errors:
                raise SystemExit(f"could not delete {len(errors)} versions, first: {errors[0]}")
            deleted += len(batch)
    return deleted


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack", help="name of the deployed stack (e.g. items-dev)")
    arguments = parser.parse_args(argv)
    found = stage_and_bucket(boto3.client("cloudformation"), arguments.stack)
    if found is None:
        print(f"{arguments.stack}: no jobs bucket to empty (never deployed, or its creation was rolled back)")
        return 0
    stage, bucket = found
    if stage != "dev":
        print(f"{arguments.stack} is a {stage} stack: refusing to empty {bucket}", file=sys.stderr)
        return 1
    count = empty_bucket(boto3.client("s3"), bucket)
    print(f"{bucket}: deleted {count} object versions and delete markers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
