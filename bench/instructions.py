"""Instruction counts of the cold-start programs (`make bench-instructions`): deterministic where times are not.

The timed ratios of `make bench` move by 0.15 between two runs on a shared machine, as large as most changes to
the code. Here each import program runs once, in the same package and environment, under valgrind's callgrind,
which counts the instructions the process executes; the ratio is (program - empty) / (B - empty), `empty` being
the interpreter's start-up alone. Every program ends with os._exit, so the interpreter's teardown (not part of
init, and not timed by `make bench` either) is left out. Two runs on the same code give the same counts, so a
change of 0.01 is a finding. Instructions are not time: a cache miss or a page fault costs none, and imports miss
more than B's JSON parsing, so our functions' timed medians have come out from level with these to 0.15 above.
"""

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from bench.modes import target_cell
from bench.package import Package

if TYPE_CHECKING:
    from bench.cold_start import FunctionRow

EMPTY = "empty interpreter"
_COLLECTED = re.compile(r"Collected : (\d+)")
# What a first-invocation program prints (bench.programs.first_invocation): the status code, or the failed records.
_OUTCOME = re.compile(r"^outcome (\d+)$", re.MULTILINE)


def _instructions(package: Package, program: str, environment: Mapping[str, str]) -> int:
    with tempfile.TemporaryDirectory() as directory:
        result = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={directory}/callgrind.out",
                *package.command(program + "\nimport os\nos._exit(0)\n"),
            ],
            # A fixed hash seed: the same code executes the same instructions on every run.
            env={**environment, "PYTHONHASHSEED": "0"},
            capture_output=True,
            text=True,
            check=False,
        )
    counted = _COLLECTED.search(result.stderr)
    if result.returncode != 0 or counted is None:
        raise RuntimeError(f"{program}\nfailed under valgrind:\n{result.stderr[-2000:]}")
    # A first invocation that failed would count an error path, not the request: no figure rather than a wrong one.
    outcome = _OUTCOME.search(result.stdout)
    if outcome is not None and int(outcome.group(1)) >= 500:
        raise RuntimeError(f"{program}\nanswered {outcome.group(1)}:\n{result.stdout[-2000:]}")
    return int(counted.group(1))


def count(package: Package, cases: Mapping[str, tuple[str, dict[str, str]]]) -> dict[str, int]:
    """Instructions of each case (name -> (program, environment)), plus the empty interpreter's."""
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian, Ubuntu: apt-get install valgrind)")
    base_environment = next(iter(cases.values()))[1]
    programs = {EMPTY: ("pass", base_environment), **cases}
    with ThreadPoolExecutor(os.cpu_count()) as pool:
        counts = pool.map(lambda case: _instructions(package, *case), programs.values())
        return dict(zip(programs, counts, strict=True))


def print_counts(counts: Mapping[str, int], rows: Mapping[str, "FunctionRow"]) -> None:
    """The floors, then each function in each TracingMode with what it adds over its floor (bench.modes)."""
    empty = counts[EMPTY]
    baseline = counts["B"] - empty
    ratios = {name: (instructions - empty) / baseline for name, instructions in counts.items() if name != EMPTY}
    print(f"\ninstructions executed by each import program (callgrind), ratio to B; B = {baseline / 1e6:.0f} million\n")
    print("| | import, ratio of instructions to B | target |")
    print("|---|---|---|")
    for name, ratio in ratios.items():
        if name != "B" and name not in rows:
            print(f"| {name} | {ratio:.3f} | |")
    for name, row in rows.items():
        target = target_cell(row.logical_id, row.mode, ratios[name], ratios[row.floor] if row.floor else None)
        print(f"| {name} (`{row.handler}`) | {ratios[name]:.3f} | {target} |")


def print_first_counts(
    counts: Mapping[str, int], rows: Mapping[str, "FunctionRow"], events: Mapping[str, Path]
) -> None:
    """Each function's first invocation (import plus one request through the real handler) in each TracingMode."""
    empty = counts[EMPTY]
    baseline = counts["B + GetItem"] - empty
    million = f"{baseline / 1e6:.0f} million"
    print(f"\nfirst invocation (import + one request), ratio of instructions to B + one GetItem = {million}\n")
    print("| | first invocation, ratio of instructions to B + GetItem | event |")
    print("|---|---|---|")
    for name, row in rows.items():
        print(f"| {name} | {(counts[name] - empty) / baseline:.3f} | {events[row.logical_id].name} |")
