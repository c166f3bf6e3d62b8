"""The table `make bench` prints (the README's Performance table is a copy of it)."""

import statistics
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bench.modes import target_cell
from bench.package import ROOT

if TYPE_CHECKING:
    from bench.cold_start import FunctionRow


class Measured(Protocol):
    runs: list[float]
    outcomes: set[str]

    def ratios(self, baseline: list[float]) -> tuple[float, float, float]: ...

    def best_ratio(self, baseline: list[float]) -> float: ...


def _ratio(samples: Measured, baseline: list[float]) -> str:
    median, first, third = samples.ratios(baseline)
    return f"{median:.2f} ({first:.2f}-{third:.2f}; fastest {samples.best_ratio(baseline):.2f})"


def print_report(
    rows: Mapping[str, "FunctionRow"],
    events: Mapping[str, Path],
    cold: Mapping[str, Measured],
    first: Mapping[str, Measured],
    rounds: int,
) -> None:
    base, base_first = cold["B"].runs, first["B + GetItem"].runs
    print(f"\nmedians of {rounds} interleaved rounds of fresh `python3.13 -S` processes; ratio (interquartile range;")
    print("fastest run over B's fastest run); [mode] is the function's TracingMode")
    print(f"B = import boto3; boto3.client('dynamodb'): {statistics.median(base) * 1000:.0f} ms")
    print(f"B + one GetItem: {statistics.median(base_first) * 1000:.0f} ms\n")
    print("| | import, ratio to B | first invocation, ratio to B + GetItem | target |")
    print("|---|---|---|---|")
    for name in cold:
        if name != "B" and name not in rows:
            print(f"| {name} | {_ratio(cold[name], base)} | | |")
    for name, row in rows.items():
        event = events[row.logical_id].relative_to(ROOT)
        outcome = ",".join(sorted(first[name].outcomes))
        ratio = cold[name].ratios(base)[0]
        floor = cold[row.floor].ratios(base)[0] if row.floor else None
        print(
            f"| {name} (`{row.handler}`) | {_ratio(cold[name], base)} | {_ratio(first[name], base_first)}"
            f" ({event.name}: {outcome}) | {target_cell(row.logical_id, row.mode, ratio, floor)} |"
        )
