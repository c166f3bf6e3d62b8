"""The table `make bench` prints (the README's Performance table is a copy of it)."""

import statistics
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from bench.package import ROOT


class Measured(Protocol):
    runs: list[float]
    outcomes: set[str]

    def ratios(self, baseline: list[float]) -> tuple[float, float, float]: ...

    def best_ratio(self, baseline: list[float]) -> float: ...


def _ratio(samples: Measured, baseline: list[float]) -> str:
    median, first, third = samples.ratios(baseline)
    return f"{median:.2f} ({first:.2f}-{third:.2f}; fastest {samples.best_ratio(baseline):.2f})"


def print_report(
    handlers: Mapping[str, str],
    events: Mapping[str, Path],
    cold: Mapping[str, Measured],
    first: Mapping[str, Measured],
    rounds: int,
) -> None:
    from bench.cold_start import target_cell

    base, base_first = cold["B"].runs, first["B + GetItem"].runs
    print(f"\nmedians of {rounds} interleaved rounds of fresh `python3.13 -S` processes; ratio (interquartile range;")
    print("fastest run over B's fastest run)")
    print(f"B = import boto3; boto3.client('dynamodb'): {statistics.median(base) * 1000:.0f} ms")
    print(f"B + one GetItem: {statistics.median(base_first) * 1000:.0f} ms\n")
    print("| | import, ratio to B | first invocation, ratio to B + GetItem | target |")
    print("|---|---|---|---|")
    for name in cold:
        if name != "B" and name not in handlers:
            print(f"| {name} | {_ratio(cold[name], base)} | | |")
    for name, handler in handlers.items():
        event = events[name].relative_to(ROOT)
        outcome = ",".join(sorted(first[name].outcomes))
        print(
            f"| {name} (`{handler}`) | {_ratio(cold[name], base)} | {_ratio(first[name], base_first)}"
            f" ({event.name}: {outcome}) | {target_cell(name, cold[name].ratios(base)[0])} |"
        )
