"""Starts `python -m devstack` as a subprocess on free ports and waits until it answers, for the e2e tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STARTUP_TIMEOUT_SECONDS = 180  # a loaded 2-core machine has needed more than 90 s (imports of moto and boto3)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Stack:
    base_url: str
    aws_endpoint: str
    outputs: dict[str, Any]
    process: subprocess.Popen[bytes] | None
    log_path: Path
    started_seconds: float = field(default=0.0)
    functions_endpoint: str | None = None  # AWS as the functions reach it, when not as the tests do (sam local)

    def reachable(self, url: str) -> str:
        """A URL a function made (a presigned S3 URL) as the tests reach it; moto does not check the host."""
        if self.functions_endpoint and url.startswith(self.functions_endpoint):
            return self.aws_endpoint + url.removeprefix(self.functions_endpoint)
        return url

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def client(self, service: str) -> Any:
        """A boto3 client on this stack's AWS endpoint: stack.client("dynamodb")."""
        return boto3.client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.aws_endpoint,
            region_name=self.outputs["Region"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


def _wait_until_ready(process: subprocess.Popen[bytes], base_url: str, outputs: Path, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"devstack exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if outputs.exists() and requests.get(f"{base_url}/health", timeout=60).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or the first request still waits for a cold start
        time.sleep(0.1)
    raise RuntimeError(f"devstack not ready after {STARTUP_TIMEOUT_SECONDS} s:\n{log_path.read_text()}")


def start_stack(directory: Path, *extra_args: str, aws_endpoint: str | None = None) -> Stack:
    """The local stack on free ports with its outputs in directory, so a developer's running stack is untouched.

    With aws_endpoint, the stack uses that AWS (AWS_ENDPOINT_URL) instead of starting its own; its log is appended.
    """
    port, aws_port = free_port(), free_port()
    outputs, log_path = directory / "outputs.json", directory / "devstack.log"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_ENDPOINT_URL")}
    if aws_endpoint is not None:
        environment["AWS_ENDPOINT_URL"] = aws_endpoint
        outputs.unlink(missing_ok=True)
    # --prewarm: every function's first environment starts with the stack, not inside a test's first request.
    command = [sys.executable, "-m", "devstack", "--port", str(port), "--aws-port", str(aws_port), "--prewarm"]
    started = time.monotonic()
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [*command, "--outputs", str(outputs), *extra_args],
            cwd=REPO_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(process, base_url, outputs, log_path)
    except BaseException:
        stop_stack(process)
        raise
    return Stack(
        base_url=base_url,
        aws_endpoint=aws_endpoint or f"http://127.0.0.1:{aws_port}",
        outputs=json.loads(outputs.read_text()),
        process=process,
        log_path=log_path,
        started_seconds=time.monotonic() - started,
    )


def external_stack(base_url: str, outputs_path: Path, functions_endpoint: str | None = None) -> Stack:
    """An API started by someone else (sam local), backed by the local stack that wrote outputs_path."""
    outputs = json.loads(outputs_path.read_text())
    return Stack(
        base_url=base_url.rstrip("/"),
        aws_endpoint=outputs["AwsEndpointUrl"],
        outputs=outputs,
        process=None,
        log_path=outputs_path.parent / "devstack.log",
        functions_endpoint=functions_endpoint,
    )


def stop_stack(process: subprocess.Popen[bytes] | None) -> None:
    if process is None:  # an external stack (sam local) is not ours to stop
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_aws(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    """An AWS of its own (the stack's moto server, run alone) that outlives the stacks pointed at it."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with (directory / "aws.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "devstack.aws_server", "--port", str(port)],
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            requests.get(f"{endpoint}/moto-api/", timeout=30)
            return process, endpoint
        except requests.RequestException:
            time.sleep(0.1)
    stop_stack(process)
    raise RuntimeError(f"no AWS server on {endpoint} after {STARTUP_TIMEOUT_SECONDS} s")


def extended_template(directory: Path) -> Path:
    """template.yaml plus the fixture functions, queues and table: a template change made without code change."""
    text = (REPO_ROOT / "template.yaml").read_text()
    resources = (FIXTURES / "extra-resources.yaml").read_text().replace("__FIXTURES__", str(FIXTURES))
    outputs = (FIXTURES / "extra-outputs.yaml").read_text()
    text = text.replace("\nResources:\n", "\nResources:\n" + resources, 1)
    text = text.replace("\nOutputs:\n", "\nOutputs:\n" + outputs, 1)
    # The copy lives elsewhere: the template's relative CodeUri (src/) must still find the service's code.
    (directory / "src").symlink_to(REPO_ROOT / "src", target_is_directory=True)
    path = directory / "template.yaml"
    path.write_text(text)
    return path
