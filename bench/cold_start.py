"""Cold start of each function of template.yaml as Lambda loads it, as ratios to B (`make bench`).

Each function's deployment package is built as `sam build` builds it (bench.package) and imported by fresh
`python3.13 -S` processes with PYTHONPATH set to the package, interleaved round by round with B =
`import boto3; boto3.client("dynamodb")` in the same package and with the libraries' own floors. A figure is the
median over the rounds of (sample / B of the same round), with the interquartile range as its spread, so machine
noise hits both alike. The first invocation (import plus one request through the real handler, against a moto
server the bench starts, with the function's environment from template.yaml) is divided by B plus one GetItem.
Every function is measured in each TracingMode (bench.modes), beside the floor of the libraries as that mode
configures them. Absolute times on a shared 2-core machine mean little; the ratios are what we track.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import boto3

from bench import modes, programs
from bench.imports import moto_server
from bench.lambda_env import lambda_environment
from bench.package import ROOT, Package, build_package
from devstack.names import Names
from devstack.provision import provision
from devstack.template import Template, load_template

OWNER = "8c3f5a1e-0d4b-4a7e-9a51-2f6e1b7c9d00"  # the `sub` of the sample events
TRACE_ID = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


@dataclass(frozen=True)
class FunctionRow:
    """A function in one TracingMode: its handler, and the row of the floor it is held against (if any)."""

    logical_id: str
    mode: str
    handler: str
    floor: str | None


def function_rows(handlers: Mapping[str, str]) -> dict[str, FunctionRow]:
    rows = {}
    for mode in modes.TRACING_MODES:
        for name, handler in handlers.items():
            floor = modes.FLOOR_OF_HANDLER.get(handler)
            rows[modes.row(name, mode)] = FunctionRow(name, mode, handler, floor and modes.row(floor, mode))
    return rows


@dataclass
class Samples:
    runs: list[float] = field(default_factory=list)
    outcomes: set[str] = field(default_factory=set)

    def ratios(self, baseline: list[float]) -> tuple[float, float, float]:
        """Median, first and third quartile of this program's time over B's time in the same round."""
        ratios = [sample / base for sample, base in zip(self.runs, baseline, strict=True)]
        first, _, third = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else (ratios[0],) * 3
        return statistics.median(ratios), first, third

    def best_ratio(self, baseline: list[float]) -> float:
        """This program's fastest run over B's fastest: interference only ever adds CPU time to a run, so the
        fastest runs are the least disturbed (timeit's argument), a steadier figure than the median here."""
        return min(self.runs) / min(baseline)


def run(package: Package, program: str, environment: Mapping[str, str]) -> tuple[float, str]:
    result = subprocess.run(
        package.command(program), env=dict(environment), capture_output=True, text=True, check=False
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"{program}\nfailed:\n{result.stderr}")
    outcome = next((line.split()[1] for line in lines if line.startswith("outcome ")), "")
    return float(lines[-1]), outcome


def measure(package: Package, cases: dict[str, tuple[str, dict[str, str]]], rounds: int) -> dict[str, Samples]:
    """Every case once per round, in a shuffled order (B first), after one warm-up run of each."""
    for program, environment in cases.values():
        run(package, program, environment)  # the page cache holds every file afterwards, as for every sample
    samples = {name: Samples() for name in cases}
    names = list(cases)
    for number in range(rounds):
        order = names[1:]
        random.Random(number).shuffle(order)
        for name in [names[0], *order]:
            seconds, outcome = run(package, *cases[name])
            samples[name].runs.append(seconds)
            samples[name].outcomes.add(outcome)
    return samples


# The first invocation of these functions is measured on the route whose first request costs most: JobsFunction
# creates its S3 client when it first signs a URL (POST /imports), not at cold start.
COSTLIEST_FIRST_EVENTS = {"JobsFunction": "api/create_import.json"}


def function_event(template: Template, logical_id: str) -> Path:
    """The first sample event (events/) of one of the function's routes, or of its handler's kind."""
    if logical_id in COSTLIEST_FIRST_EVENTS:
        return ROOT / "events" / COSTLIEST_FIRST_EVENTS[logical_id]
    routes = {route.route_key for route in template.routes() if route.function_id == logical_id}
    if routes:
        for path in sorted((ROOT / "events" / "api").glob("*.json")):
            if json.loads(path.read_text()).get("routeKey") in routes:
                return path
    kind = template.functions()[logical_id].handler.split(".")[-2]
    return sorted((ROOT / "events" / kind).glob("*.json"))[0]


def environment_of(template: Template, logical_id: str, names: Names, package: Package) -> dict[str, str]:
    return {
        **lambda_environment(template, logical_id, names),
        "PYTHONPATH": package.pythonpath,
        "LAMBDA_TASK_ROOT": str(package.code),
        "_X_AMZN_TRACE_ID": TRACE_ID,
        "AWS_ENDPOINT_URL": os.environ["AWS_ENDPOINT_URL"],
    }


def seed(names: Mapping[str, str], event: Path) -> tuple[str, str]:
    """The item the read function's sample event asks for, so its first request returns it (200)."""
    item_id = json.loads(event.read_text()).get("pathParameters", {}).get("id", "01JDQ4Z5V6W7X8Y9ZA0B1C2D3E")
    key = {"pk": f"OWNER#{OWNER}", "sk": f"ITEM#{item_id}"}
    now = "2026-11-28T10:00:00Z"
    attributes = key | {"id": item_id, "name": "Desk lamp", "version": 1, "createdAt": now, "updatedAt": now}
    attributes |= {"entity": "Item", "updatedBy": OWNER, "tags": ["home"]}
    boto3.resource("dynamodb").Table(names["ItemsTable"]).put_item(Item=attributes)
    return key["pk"], key["sk"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=11, help="interleaved fresh processes per program")
    parser.add_argument("--requirements", type=Path, default=ROOT / "layer" / "requirements.txt")
    # Another revision's code and template, e.g. `git archive main src template.yaml events | tar -x -C /tmp/main`.
    parser.add_argument("--revision", type=Path, default=ROOT, help="folder with src/, template.yaml and events/")
    parser.add_argument("--functions", nargs="*", help="only these functions (logical ids); default: all")
    parser.add_argument(
        "--instructions", action="store_true", help="count the import programs' instructions (valgrind), not time"
    )
    arguments = parser.parse_args()
    package = build_package(arguments.requirements, arguments.revision / "src")
    template = load_template(arguments.revision / "template.yaml")
    templates = modes.templates(template)
    handlers = {
        name: function.handler
        for name, function in template.functions().items()
        if not arguments.functions or name in arguments.functions
    }
    with moto_server() as endpoint:
        os.environ.update(AWS_ENDPOINT_URL=endpoint, AWS_DEFAULT_REGION="us-east-1")
        os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
        names = provision(template, endpoint_url=endpoint)
        rows = function_rows(handlers)
        environments = {
            row: environment_of(templates[function.mode], function.logical_id, names, package)
            for row, function in rows.items()
        }
        events = {name: function_event(template, name) for name in handlers}
        pk, sk = seed(names, events.get("ItemsReadFunction", ROOT / "events" / "api" / "get_item.json"))
        base_env = next(iter(environments.values()))
        cold = {"B": (programs.timed(programs.BASELINE), base_env)}
        cold |= {name: (programs.timed(body), base_env) for name, body in programs.FLOORS.items()}
        for mode in modes.TRACING_MODES:
            floors = programs.own_floors(mode).items()
            cold |= {modes.row(name, mode): (programs.timed(body), base_env) for name, body in floors}
        cold |= {row: (programs.import_handler(f.handler), environments[row]) for row, f in rows.items()}
        first = {"B + GetItem": (programs.baseline_get_item(names["ItemsTable"], sk, pk), base_env)}
        first |= {
            row: (programs.first_invocation(f.handler, events[f.logical_id]), environments[row])
            for row, f in rows.items()
        }
        if arguments.instructions:
            from bench.instructions import count, print_counts, print_first_counts

            print_counts(count(package, cold), rows)
            print_first_counts(count(package, first), rows, events)
            return
        cold_samples = measure(package, cold, arguments.rounds)
        first_samples = measure(package, first, arguments.rounds)
    from bench.report import print_report

    print_report(rows, events, cold_samples, first_samples, arguments.rounds)


if __name__ == "__main__":
    main()
