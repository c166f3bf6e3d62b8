"""A 100,000-line import through the local stack, as a user runs it: lines per second per slice and peak memory.

The stack's AWS runs in its own process (`python -m devstack.aws_server`, the AWS_ENDPOINT_URL mode of
devstack/README.md) and the stack (`python -m devstack`, the processes of `make dev`: the devstack process, its
execution environments and their fork server) points at it. The file goes up through POST /imports and its
presigned POST; the bench follows GET /imports/{id} and samples, twice a second, the resident memory of the AWS
process and the stack's processes' proportional set sizes, summed (PSS: forked environments share pages).
Targets: the whole import in under 10 minutes, the AWS process under 2 GB, and lines per second flat across
slices (a slice does not slow down as the table grows).

    make bench-local-import        # or: uv run python -m bench.local_import --lines 100000 --slice 10000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from devstack.token import token_for
from tests.e2e.jobs import api, start_import
from tests.e2e.localstack import Stack, start_aws, start_stack, stop_stack

TARGET_SECONDS = 600
TARGET_AWS_MB = 2048
GIVE_UP_AWS_MB = 3 * TARGET_AWS_MB  # the old moto grew 2.5 GB a minute: stop before the machine swaps
SAMPLE_SECONDS = 0.5


def memory_mb(pid: int, field: str = "VmRSS:", source: str = "status") -> float:
    try:
        with open(f"/proc/{pid}/{source}") as status:
            return next(int(line.split()[1]) for line in status if line.startswith(field)) / 1024
    except (OSError, StopIteration):
        return 0.0  # exited meanwhile (an environment past its timeout), or a zombie


def proportional_mb(pid: int) -> float:
    """PSS: the environments are forked, so their shared pages count once across the stack's processes."""
    return memory_mb(pid, "Pss:", "smaps_rollup")


def process_tree(root: int) -> list[int]:
    """root and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


@dataclass
class Run:
    lines: int
    slice_lines: int
    aws_pid: int
    stack_pid: int
    started: float = field(default_factory=time.monotonic)
    crossed: list[float] = field(default_factory=list)  # seconds from the upload at each slice's end
    aws_peak_mb: float = 0.0
    stack_peak_mb: float = 0.0
    done: int = 0

    def sample(self, done: int) -> None:
        self.done = done
        while len(self.crossed) < self.lines // self.slice_lines and done >= (len(self.crossed) + 1) * self.slice_lines:
            self.crossed.append(time.monotonic() - self.started)
        self.aws_peak_mb = max(self.aws_peak_mb, memory_mb(self.aws_pid))
        self.stack_peak_mb = max(self.stack_peak_mb, sum(proportional_mb(pid) for pid in process_tree(self.stack_pid)))

    def report(self, status: str) -> None:
        print(f"\n{self.lines:,}-line import through the local stack (AWS in its own process): {status}")
        print("| lines | seconds | lines/s |\n|---|---|---|")
        previous = 0.0
        for number, seconds in enumerate(self.crossed, start=1):
            first = (number - 1) * self.slice_lines + 1
            print(f"| {first:,}-{number * self.slice_lines:,} | {seconds - previous:.1f} | "
                  f"{self.slice_lines / (seconds - previous):.0f} |")  # fmt: skip
            previous = seconds
        rates = [self.slice_lines / (b - a) for a, b in zip([0.0, *self.crossed], self.crossed, strict=False)]
        total = time.monotonic() - self.started
        verdict = "PASS" if status == "COMPLETED" and total < TARGET_SECONDS else "FAIL"
        print(f"\nwhole import: {total:.0f} s for {self.done:,} lines (target < {TARGET_SECONDS} s): {verdict}")
        verdict = "PASS" if self.aws_peak_mb < TARGET_AWS_MB else "FAIL"
        print(f"AWS process peak RSS: {self.aws_peak_mb:.0f} MB (target < {TARGET_AWS_MB} MB): {verdict}")
        print(f"stack's processes (devstack, environments, fork server) peak, PSS summed: {self.stack_peak_mb:.0f} MB")
        if len(rates) > 1:
            print(f"last slice / first slice: {rates[-1] / rates[0]:.2f} (flat: about 1; the old moto fell as 1/table)")


def run(lines: int, slice_lines: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-local-import-") as directory:
        aws, endpoint = start_aws(Path(directory))
        stack = None
        try:
            stack = start_stack(Path(directory), aws_endpoint=endpoint)
            assert stack.process is not None
            token = token_for("bench-importer", stack.outputs)
            measured = Run(lines, slice_lines, aws.pid, stack.process.pid)
            import_id = start_import(stack, token, lines)
            status = follow(measured, stack, token, import_id)
            measured.report(status)
        finally:
            if stack is not None:
                stop_stack(stack.process)
            stop_stack(aws)


def follow(measured: Run, stack: Stack, token: str, import_id: str) -> str:
    """The import's final status, or why the bench stopped following it."""
    deadline = measured.started + 2 * TARGET_SECONDS
    while time.monotonic() < deadline:
        answer = api(stack, token, "GET", f"/imports/{import_id}", timeout=60)
        report = answer.json() if answer.status_code == 200 else {}
        measured.sample(report.get("imported", 0) + report.get("rejected", 0))
        if report.get("status") in ("COMPLETED", "FAILED"):
            return str(report["status"])
        if measured.aws_peak_mb > GIVE_UP_AWS_MB:
            return f"stopped: the AWS process passed {GIVE_UP_AWS_MB} MB"
        time.sleep(SAMPLE_SECONDS)
    return f"stopped: not finished after {2 * TARGET_SECONDS} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--slice", type=int, default=10_000, dest="slice_lines")
    arguments = parser.parse_args()
    run(arguments.lines, arguments.slice_lines)


if __name__ == "__main__":
    main()
