"""Per-route limits of a load run: no failure anywhere, and p95/p99 under the limits set in thresholds.toml.

A route the run measured but thresholds.toml does not list is a breach too: a new route gets its limits from a
measurement, not by default.
"""

import csv
import tomllib
from dataclasses import dataclass
from pathlib import Path

THRESHOLDS = Path(__file__).with_name("thresholds.toml")


@dataclass(frozen=True)
class RouteStats:
    route: str  # "<method> <name>", the key of thresholds.toml
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float


@dataclass(frozen=True)
class Limit:
    p95: float
    p99: float


def _milliseconds(value: str) -> float:
    return float("nan") if value == "N/A" else float(value)


def read_stats(stats_csv: Path) -> list[RouteStats]:
    """Locust's <prefix>_stats.csv, one row per route, the Aggregated row last."""
    with stats_csv.open(newline="") as handle:
        return [
            RouteStats(
                route=f"{row['Type']} {row['Name']}".strip(),
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                p50=_milliseconds(row["50%"]),
                p95=_milliseconds(row["95%"]),
                p99=_milliseconds(row["99%"]),
            )
            for row in csv.DictReader(handle)
        ]


def load_limits(target: str, path: Path = THRESHOLDS) -> dict[str, Limit]:
    """The limits of one target ("local" or "deployed") in milliseconds."""
    table = tomllib.loads(path.read_text())[target]
    return {route: Limit(p95=float(limit["p95"]), p99=float(limit["p99"])) for route, limit in table.items()}


def breaches(stats: list[RouteStats], limits: dict[str, Limit]) -> list[str]:
    """Every broken threshold, as a sentence; empty when the run passed."""
    found = []
    for row in stats:
        if row.failures:
            found.append(f"{row.route}: {row.failures} failed of {row.requests}")
        if row.route == "Aggregated" or not row.requests:
            continue
        limit = limits.get(row.route)
        if limit is None:
            found.append(f"{row.route}: no limits in {THRESHOLDS.name}; measure it and add them")
            continue
        for name, measured, allowed in (("p95", row.p95, limit.p95), ("p99", row.p99, limit.p99)):
            if measured > allowed:
                found.append(f"{row.route}: {name} {measured:.0f} ms over its limit of {allowed:.0f} ms")
    if not stats or stats[-1].requests == 0:
        found.append("no request was made")
    return found


def summary(stats: list[RouteStats], limits: dict[str, Limit]) -> str:
    """A table of the figures next to their limits."""
    lines = [f"{'route':48} {'requests':>8} {'failures':>8} {'p50':>6} {'p95':>6} {'p99':>6}  limits p95/p99 (ms)"]
    for row in stats:
        limit = limits.get(row.route)
        limits_text = f"{limit.p95:.0f}/{limit.p99:.0f}" if limit else "-"
        lines.append(
            f"{row.route:48} {row.requests:>8} {row.failures:>8} {row.p50:>6.0f} {row.p95:>6.0f} {row.p99:>6.0f}"
            f"  {limits_text}"
        )
    return "\n".join(lines)


def failure_lines(failures_csv: Path) -> list[str]:
    """Locust's <prefix>_failures.csv as lines: what failed, how often."""
    if not failures_csv.exists():
        return []
    with failures_csv.open(newline="") as handle:
        return [
            f"{row['Method']} {row['Name']}: {row['Occurrences']} x {row['Error']}" for row in csv.DictReader(handle)
        ]
