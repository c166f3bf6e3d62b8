"""Cold import time of each function in template.yaml, as a ratio to `import boto3; boto3.client("dynamodb")`.

Each sample is a fresh interpreter with the function's environment (Lambda-like: tracer on, JSON logs). The
baseline runs interleaved with the functions in the same loop, so machine noise hits both alike; the figure is
the ratio of medians. Absolute times on a shared 2-core machine mean little; the ratio is what we track.
"""

import argparse
import statistics
import subprocess
import sys

from bench.lambda_env import lambda_environment, local_names
from devstack.template import load_template

BASELINE = "import boto3; boto3.client('dynamodb')"
# The libraries alone, configured as the API functions configure them: what no code of ours can go below.
LIBRARY_FLOOR = (
    BASELINE
    + "; from aws_lambda_powertools.event_handler import APIGatewayHttpResolver as Resolver"
    + "; Resolver(enable_validation=True)"
    + "; from aws_lambda_powertools import Logger, Metrics, Tracer; Logger(); Metrics(); Tracer()"
)
TARGET_RATIO = 1.25


def timed(code: str, environment: dict[str, str]) -> float:
    program = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    result = subprocess.run(
        [sys.executable, "-c", program], env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{code} failed:\n{result.stderr}")
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="fresh processes per function (median taken)")
    runs = parser.parse_args().runs
    template = load_template()
    functions = {name: spec.handler.rpartition(".")[0] for name, spec in template.functions().items()}
    names = local_names(template)
    environments = {name: lambda_environment(template, name, names) for name in functions}
    baseline_env = next(iter(environments.values()))
    for name, module in functions.items():  # warm the .pyc caches and the page cache first
        timed(f"import {module}", environments[name])
    samples: dict[str, list[float]] = {name: [] for name in ["baseline", "floor", *functions]}
    for _ in range(runs):
        samples["baseline"].append(timed(BASELINE, baseline_env))
        samples["floor"].append(timed(LIBRARY_FLOOR, baseline_env))
        for name, module in functions.items():
            samples[name].append(timed(f"import {module}", environments[name]))
    baseline = statistics.median(samples["baseline"])
    print(f"baseline {BASELINE!r}: median {baseline * 1000:.1f} ms over {runs} fresh processes")
    floor = statistics.median(samples["floor"])
    print(
        f"library floor (boto3 + Powertools resolver with validation, Logger, Metrics, Tracer): {floor / baseline:.2f}"
    )
    print(f"{'function':<24} {'module':<28} {'median ms':>9} {'ratio':>6}  target <= {TARGET_RATIO}")
    for name, module in functions.items():
        median = statistics.median(samples[name])
        verdict = "ok" if median / baseline <= TARGET_RATIO else "OVER"
        print(f"{name:<24} {module:<28} {median * 1000:>9.1f} {median / baseline:>6.2f}  {verdict}")


if __name__ == "__main__":
    main()
