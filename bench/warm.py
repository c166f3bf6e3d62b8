"""Warm overhead per invocation of the API handler (p50, p99), through the real handler and resolver
(logger, metrics, tracer, validation, error mapping) with in-memory adapters behind the services, so the
figure is what the code adds on top of DynamoDB's own latency.
"""

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.lambda_env import lambda_environment, local_names
from devstack.template import load_template

TARGET_P50_US, TARGET_P99_US = 100, 500


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(invoke: Callable[[], dict[str, Any]], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        invoke()
        samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3000)
    runs = parser.parse_args().runs
    template = load_template()
    os.environ.update(lambda_environment(template, "ItemsWriteFunction", local_names(template)))
    sys.path.insert(0, str(Path(__file__).parents[1] / "src"))  # where Lambda finds the code: the package root
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "false")
    os.environ["_X_AMZN_TRACE_ID"] = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

    from app import wiring
    from app.handlers.api import handler
    from app.models.items import ItemCreate
    from tests.fakes.services import in_memory_services
    from tests.support.apigw import LambdaContext, http_event

    services = in_memory_services()
    wiring.api_services = lambda: services  # type: ignore[assignment]
    context = LambdaContext()
    item = services.items.create_item(owner="alice", item_in=ItemCreate(name="x"))
    scenarios = {
        "GET /items/{id}": http_event("GET", f"/items/{item.id}"),
        "GET /items": http_event("GET", "/items", query={"limit": "20"}),
        "POST /items": http_event("POST", "/items", body={"name": "Desk lamp", "price": 49.9, "tags": ["home"]}),
        "GET /health": http_event("GET", "/health", owner=None),
    }
    targets = f"targets p50 <= {TARGET_P50_US}, p99 <= {TARGET_P99_US}"
    print(f"{'route':<18} {'p50 us':>8} {'p99 us':>8} {'mean us':>8}   {targets}")
    # EMF metrics and logs go to stdout in Lambda; here they would only measure the terminal.
    with contextlib.redirect_stdout(io.StringIO()) as sink:
        results = {}
        for route, event in scenarios.items():
            measure(lambda event=event: handler(event, context), 200)  # warm up
            results[route] = measure(lambda event=event: handler(event, context), runs)
            sink.seek(0)
            sink.truncate()
    for route, samples in results.items():
        p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
        verdict = "ok" if p50 <= TARGET_P50_US and p99 <= TARGET_P99_US else "OVER"
        print(f"{route:<18} {p50:>8.0f} {p99:>8.0f} {statistics.fmean(samples):>8.0f}   {verdict}")


if __name__ == "__main__":
    main()
