"""Rehearses the items table's recovery (`make restore-drill`): docs/restore.md, step 1 to 3, then cleans up.

    python scripts/restore_drill.py --stack items-dev     # a deployed stack
    python scripts/restore_drill.py --local               # the local stack (make dev)

1. checks that point-in-time recovery is on, and notes the latest restorable time;
2. restores the table to that time into a new table (<table>-drill-<utc time>), as the runbook's first step does;
3. checks the restored table: every item of the source written before the restore time (up to --sample of them,
   read with consistent reads) is in it, equal; items changed since may differ and are counted apart;
then deletes the drill's table (unless --keep). It never writes to the source table. A stack that is not there or
not running, or a table without point-in-time recovery, is one line and exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

LOCAL_OUTPUTS = Path(__file__).resolve().parents[1] / ".aws-sam" / "local" / "outputs.json"
WAIT_SECONDS = 3600  # a restore takes minutes to hours in AWS, depending on the table's size


class DrillError(Exception):
    """Why the drill cannot run or did not pass: one line."""


@dataclass(frozen=True)
class Outcome:
    source: str
    target: str
    checked: int
    changed_since: int
    differing: list[str]
    seconds: float


def table_of(*, stack: str | None, outputs: Path | None) -> tuple[str, dict[str, str]]:
    """(items table name, how to reach it) of a deployed stack, or of the local stack from its outputs file."""
    if outputs is not None:
        if not outputs.exists():
            raise DrillError(f"no local stack: {outputs} is missing (start one with `make dev`)")
        values = json.loads(outputs.read_text())
        # The local stack's own AWS (moto) with the stack's dummy credentials, whatever this shell has configured.
        local = {"endpoint_url": values["AwsEndpointUrl"], "region_name": values["Region"]}
        dummy = "testing"  # pragma: allowlist secret (moto's placeholder, devstack/outputs.py DUMMY_CREDENTIALS)
        return str(values["ItemsTableName"]), local | {"aws_access_key_id": dummy, "aws_secret_access_key": dummy}
    try:
        resource = boto3.client("cloudformation").describe_stack_resource(
            StackName=stack, LogicalResourceId="ItemsTable"
        )
    except (ClientError, BotoCoreError) as error:
        raise DrillError(f"stack {stack}: {error}") from None
    return str(resource["StackResourceDetail"]["PhysicalResourceId"]), {}


def restore_point(dynamodb: Any, table: str) -> datetime:
    description = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    recovery = description.get("PointInTimeRecoveryDescription", {})
    if recovery.get("PointInTimeRecoveryStatus") != "ENABLED":
        raise DrillError(f"{table} has no point-in-time recovery: nothing to restore from")
    latest = recovery.get("LatestRestorableDateTime")
    return latest if isinstance(latest, datetime) else datetime.now(UTC)


def restore(dynamodb: Any, source: str, target: str) -> None:
    dynamodb.restore_table_to_point_in_time(
        SourceTableName=source,
        TargetTableName=target,
        UseLatestRestorableTime=True,
        # What a restore does not carry over unless asked: on-demand billing and encryption at rest.
        BillingModeOverride="PAY_PER_REQUEST",
        SSESpecificationOverride={"Enabled": True, "SSEType": "KMS"},
    )
    dynamodb.get_waiter("table_exists").wait(
        TableName=target, WaiterConfig={"Delay": 10, "MaxAttempts": WAIT_SECONDS // 10}
    )


def items(dynamodb: Any, table: str, limit: int) -> Iterator[dict[str, Any]]:
    request: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    seen = 0
    while seen < limit:
        page = dynamodb.scan(**request, Limit=min(1000, limit - seen))
        yield from page.get("Items", [])
        seen += len(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def changed_after(item: dict[str, Any], moment: datetime) -> bool:
    updated = item.get("updatedAt", {}).get("S")
    return updated is not None and datetime.fromisoformat(updated) > moment


def compare(dynamodb: Any, source: str, target: str, *, since: datetime, sample: int) -> tuple[int, int, list[str]]:
    """(items checked, items changed after the restore point, keys of items that differ)."""
    checked, changed, differing = 0, 0, []
    for item in items(dynamodb, source, sample):
        key = {"pk": item["pk"], "sk": item["sk"]}
        restored = dynamodb.get_item(TableName=target, Key=key, ConsistentRead=True).get("Item")
        checked += 1
        if restored == item:
            continue
        if changed_after(item, since):
            changed += 1
        else:
            differing.append(f"{key['pk']['S']} {key['sk']['S']}")
    return checked, changed, differing


def drill(dynamodb: Any, source: str, *, sample: int, keep: bool) -> Outcome:
    since = restore_point(dynamodb, source)
    target = f"{source}-drill-{datetime.now(UTC):%Y%m%d%H%M%S}"
    started = time.monotonic()
    restore(dynamodb, source, target)
    seconds = time.monotonic() - started
    try:
        checked, changed, differing = compare(dynamodb, source, target, since=since, sample=sample)
    finally:
        if not keep:
            dynamodb.delete_table(TableName=target)
    return Outcome(source, target, checked, changed, differing, seconds)


def report(outcome: Outcome) -> int:
    line = (
        f"restore drill: {outcome.source} -> {outcome.target} in {outcome.seconds:.1f} s; {outcome.checked} items "
        f"checked, {outcome.changed_since} changed since the restore point, {len(outcome.differing)} differ"
    )
    print(line)
    for key in outcome.differing[:20]:
        print(f"  differs: {key}")
    return 1 if outcome.differing or outcome.checked == 0 else 0


def main(arguments: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--stack", help="a deployed stack")
    where.add_argument("--local", action="store_true", help="the local stack started by `make dev`")
    parser.add_argument("--outputs", type=Path, default=LOCAL_OUTPUTS, help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=int, default=1000, help="items of the source to check (default 1000)")
    parser.add_argument("--keep", action="store_true", help="keep the restored table (delete it yourself)")
    options = parser.parse_args(arguments)
    try:
        table, reach = table_of(stack=options.stack, outputs=options.outputs if options.local else None)
        outcome = drill(boto3.client("dynamodb", **reach), table, sample=options.sample, keep=options.keep)
    except (DrillError, ClientError, BotoCoreError) as error:
        print(f"restore drill: {error}", file=sys.stderr)
        return 2
    return report(outcome)


if __name__ == "__main__":
    raise SystemExit(main())
