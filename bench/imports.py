"""Import and export of a large file (>= 50 MB) through the real worker, with its peak memory and throughput.

A moto server runs in its own process, so its in-memory S3 and DynamoDB do not count against the worker. The
file is written to disk and uploaded in parts, as a client would with the presigned POST; the import then runs
as JobsWorkerFunction would, in a fresh process with the function's environment: queue batches handed to the
handler, each invocation with a 120 s clock, continuations included. The export runs the same way. Figures:
items per second and the worker process's peak RSS (target <= 150 MB, the memory the function needs).

    make bench-imports            # or: uv run python -m bench.imports --megabytes 50
"""

import argparse
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the functions' code, as in Lambda's task root
TARGET_RSS_MB = 150
OWNER = "bench-owner"
WORKER = "JobsWorkerFunction"
WORDS = ["lamp", "desk", "chair", "shelf", "brass", "oak", "walnut", "linen", "wool", "steel", "glass", "ceramic"]


@contextmanager
def moto_server() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def write_file(path: Path, megabytes: int) -> tuple[int, int]:
    """A JSONL file of at least `megabytes` MB, one invalid line in a hundred; returns (lines, valid lines)."""
    randomness = random.Random(7)
    lines = valid = 0
    with path.open("w") as file:
        while file.tell() < megabytes * 1_000_000:
            lines += 1
            if lines % 100 == 0:
                file.write('{"name": "", "price": -1}\n')
                continue
            valid += 1
            words = randomness.choices(WORDS, k=12)
            item = {
                "name": f"{words[0]} {lines}",
                "description": " ".join(words),
                "price": round(randomness.uniform(1, 999), 2),
                "tags": sorted(set(words[:3])),
            }
            file.write(json.dumps(item) + "\n")
    return lines, valid


def prepare(endpoint: str, megabytes: int, directory: Path) -> dict[str, Any]:
    """Provisions the template on the moto server, creates the import job and uploads its file."""
    from app.adapters.dynamodb_jobs import DynamoDBJobRecords
    from app.domain.ids import new_item_id
    from app.domain.jobs import import_key
    from app.models.jobs import ImportJob, JobStatus
    from devstack.provision import provision
    from devstack.template import load_template

    template = load_template()
    names = provision(template, endpoint_url=endpoint)
    environment = template.function_environment(WORKER, names)
    path = directory / "items.jsonl"
    lines, valid = write_file(path, megabytes)
    import_id = new_item_id()
    records = DynamoDBJobRecords(
        client=boto3.client("dynamodb", endpoint_url=endpoint),
        table_name=names["ItemsTable"],
        retention=timedelta(days=1),
    )
    now = datetime.now(UTC)
    records.add_import(
        ImportJob(owner=OWNER, import_id=import_id, status=JobStatus.PENDING, created_at=now, request_id="bench")
    )
    # S3 notifies the import queue, as after the presigned POST.
    s3 = boto3.client("s3", endpoint_url=endpoint)
    s3.upload_file(str(path), names["JobsBucket"], import_key(OWNER, import_id))
    return {
        "environment": environment,
        "names": dict(names),
        "import_id": import_id,
        "bytes": path.stat().st_size,
        "lines": lines,
        "valid": valid,
    }


class Clock:
    """A Lambda context whose remaining time runs down from the function's timeout, as in Lambda."""

    function_name = WORKER
    memory_limit_in_mb = 1024
    invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{WORKER}"
    aws_request_id = "bench"

    def __init__(self, timeout_s: int) -> None:
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return int((self._deadline - time.monotonic()) * 1000)


def job_status(names: dict[str, str], sort_key: str) -> str:
    key = {"pk": {"S": f"OWNER#{OWNER}"}, "sk": {"S": sort_key}}
    item = boto3.client("dynamodb").get_item(TableName=names["ItemsTable"], Key=key)["Item"]
    return str(item["status"]["S"])


def run_worker(queue: str, names: dict[str, str], sort_key: str, timeout_s: int) -> int:
    """Plays the SQS event source mapping until the job is finished; returns the number of invocations."""
    from app.handlers.jobs_worker import handler

    sqs = boto3.client("sqs")
    invocations = 0
    while job_status(names, sort_key) not in ("COMPLETED", "FAILED"):
        received = sqs.receive_message(
            QueueUrl=names[queue], MaxNumberOfMessages=5, WaitTimeSeconds=1, AttributeNames=["All"]
        ).get("Messages", [])
        if not received:
            continue
        records = [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message["Attributes"],
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": names[f"{queue}.Arn"],
                "awsRegion": "us-east-1",
            }
            for message in received
        ]
        response = handler({"Records": records}, Clock(timeout_s))
        invocations += 1
        failed = {failure["itemIdentifier"] for failure in response["batchItemFailures"]}
        for message in received:
            if message["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=names[queue], ReceiptHandle=message["ReceiptHandle"])
    return invocations


def peak_rss_mb() -> float:
    """This process's peak resident memory. getrusage's ru_maxrss would also count the parent's memory
    copied by fork before exec; VmHWM is the high-water mark of this program alone."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux, bytes on macOS


def phase(name: str, setup: dict[str, Any], timeout_s: int) -> dict[str, Any]:
    """One job in this (fresh) process: the worker's imports, then the job; returns time and memory."""
    names = setup["names"]
    from app.handlers import jobs_worker  # noqa: F401 - cold start: the module creates its clients

    baseline = peak_rss_mb()
    started = time.perf_counter()
    if name == "import":
        invocations = run_worker("ImportQueue", names, f"IMPORT#{setup['import_id']}", timeout_s)
    else:
        from app.adapters.sqs_messages import SqsJobMessages
        from app.domain.jobs import ExportRequested

        sort_key = f"EXPORT#{setup['export_id']}"
        message = ExportRequested(owner=OWNER, export_id=setup["export_id"], request_id="bench")
        SqsJobMessages(client=boto3.client("sqs"), queue_url=names["ExportQueue"]).send(message)
        invocations = run_worker("ExportQueue", names, sort_key, timeout_s)
    return {
        "seconds": time.perf_counter() - started,
        "invocations": invocations,
        "baseline_rss_mb": baseline,
        "peak_rss_mb": peak_rss_mb(),
    }


def run_phase(name: str, setup: dict[str, Any], endpoint: str, timeout_s: int) -> dict[str, Any]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        **setup["environment"],
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_LAMBDA_FUNCTION_NAME": WORKER,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    arguments = [sys.executable, "-m", "bench.imports", "--phase", name, "--timeout", str(timeout_s)]
    result = subprocess.run(
        arguments, input=json.dumps(setup), env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{result.stderr[-4000:]}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def report(name: str, items: int, figures: dict[str, Any]) -> None:
    verdict = "ok" if figures["peak_rss_mb"] <= TARGET_RSS_MB else "OVER"
    print(
        f"{name:<6} {items:>8} items in {figures['seconds']:7.1f} s = {items / figures['seconds']:>7.0f} items/s, "
        f"{figures['invocations']:>3} invocations, RSS {figures['baseline_rss_mb']:.0f} MB after imports, "
        f"peak {figures['peak_rss_mb']:.0f} MB (target <= {TARGET_RSS_MB}: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=int, default=50, help="size of the import file (default 50 MB)")
    parser.add_argument("--timeout", type=int, default=120, help="the function's timeout in seconds")
    parser.add_argument("--phase", choices=["import", "export"], help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.phase:  # the worker's process: setup on stdin, figures on stdout
        print(json.dumps(phase(options.phase, json.loads(sys.stdin.read()), options.timeout)))
        return
    os.environ.update({"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing"})
    os.environ.update({"AWS_SECRET_ACCESS_KEY": "testing"})
    with moto_server() as endpoint, tempfile.TemporaryDirectory() as directory:
        os.environ["AWS_ENDPOINT_URL"] = endpoint
        setup = prepare(endpoint, options.megabytes, Path(directory))
        print(f"file: {setup['bytes'] / 1e6:.1f} MB, {setup['lines']} lines ({setup['valid']} valid)")
        report("import", setup["valid"], run_phase("import", setup, endpoint, options.timeout))
        from app.domain.ids import new_item_id

        setup["export_id"] = new_item_id()
        create_export(setup)
        report("export", setup["valid"], run_phase("export", setup, endpoint, options.timeout))
        check_export(setup)


def create_export(setup: dict[str, Any]) -> None:
    from app.adapters.dynamodb_jobs import DynamoDBJobRecords
    from app.models.jobs import ExportJob, JobStatus

    records = DynamoDBJobRecords(
        client=boto3.client("dynamodb"), table_name=setup["names"]["ItemsTable"], retention=timedelta(days=1)
    )
    now = datetime.now(UTC)
    export_id = setup["export_id"]
    records.add_export(
        ExportJob(owner=OWNER, export_id=export_id, status=JobStatus.PENDING, created_at=now, request_id="bench")
    )


def check_export(setup: dict[str, Any]) -> None:
    """The exported file has one line per imported item."""
    from app.domain.jobs import export_key

    body = boto3.client("s3").get_object(Bucket=setup["names"]["JobsBucket"], Key=export_key(OWNER, setup["export_id"]))
    lines = sum(chunk.count(b"\n") for chunk in body["Body"].iter_chunks(1024 * 1024))
    print(f"export file: {body['ContentLength'] / 1e6:.1f} MB, {lines} lines")
    if lines != setup["valid"]:
        raise SystemExit(f"expected {setup['valid']} lines in the export, found {lines}")


if __name__ == "__main__":
    main()
