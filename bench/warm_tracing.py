"""Warm overhead per invocation of each TracingMode (`make bench`; `make bench-instructions` counts instructions).

One invocation = the entry point (app.observability.entry_point: logger, metrics, the mode's tracing) around a
handler making one DynamoDB GetItem, answered in botocore's before-send event (after serialization, every
before-call handler and signing) so that no network time hides the tracer's.
Each mode runs in a fresh process of the deployment package (the mode is read once, at init), beside the floor: the
same call without the entry point. Per invocation = (N invocations - none) / N, so init is left out.
"""

import argparse
import subprocess
from collections.abc import Mapping

from bench import modes
from bench.instructions import EMPTY
from bench.lambda_env import lambda_environment, local_names
from bench.package import ROOT, Package, build_package

INVOCATIONS = 400
FLOOR = "floor: the GetItem alone"
PROGRAM = """
import os, sys, time
sys.stdout = open(os.devnull, "w")  # EMF metrics and logs: Lambda's stdout, not what is measured here
import boto3
from botocore.awsrequest import AWSResponse
class Body:
    def stream(self, **_):
        yield b"{{}}"
client = boto3.client("dynamodb")
client.meta.events.register("before-send", lambda request, **_: AWSResponse(request.url, 200, {{}}, Body()))
KEY = {{"pk": {{"S": "a"}}}}
def get_item(event, context):
    return client.get_item(TableName="items", Key=KEY) and {{"statusCode": 200}}
class Context:
    function_name = "bench"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench-request"
{wrap}
event = {{"requestContext": {{"requestId": "r"}}}}
handler(event, Context())  # the first invocation: not warm
started = time.process_time()
for _ in range({invocations}):
    handler(event, Context())
print(time.process_time() - started, file=sys.stderr)
"""
WRAPPED = (
    "from app.observability import entry_point\n"
    "handler = entry_point(correlation_id_path='requestContext.requestId')(get_item)"
)
TRACE_ID = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


def seconds(package: Package, program: str, environment: Mapping[str, str]) -> float:
    result = subprocess.run(
        package.command(program), env=dict(environment), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{program}\nfailed:\n{result.stderr}")
    return float(result.stderr.strip().splitlines()[-1])


def cases(environments: Mapping[str, dict[str, str]], invocations: int) -> dict[str, tuple[str, dict[str, str]]]:
    base = next(iter(environments.values()))
    programs = {FLOOR: (PROGRAM.format(wrap="handler = get_item", invocations=invocations), base)}
    for mode, environment in environments.items():
        programs[mode] = (PROGRAM.format(wrap=WRAPPED, invocations=invocations), environment)
    return programs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instructions", action="store_true", help="count instructions (valgrind), not time")
    arguments = parser.parse_args()
    package = build_package(ROOT / "layer" / "requirements.txt", ROOT / "src")
    templates = modes.templates()
    names = local_names(templates["xray"])
    environments = {}
    for mode, template in templates.items():
        environment = lambda_environment(template, "ItemsReadFunction", names)
        environments[mode] = environment | {
            "PYTHONPATH": package.pythonpath,
            "LAMBDA_TASK_ROOT": str(package.code),
            "_X_AMZN_TRACE_ID": TRACE_ID,
        }
    if arguments.instructions:
        from bench.instructions import count

        many, none = count(package, cases(environments, INVOCATIONS)), count(package, cases(environments, 0))
        per_call = {name: (many[name] - none[name]) / INVOCATIONS for name in many if name != EMPTY}
        unit = "instructions"
    else:
        # The fastest of 5 runs: interference only ever adds CPU time (bench.cold_start.Samples.best_ratio).
        per_call = {
            name: min(seconds(package, program, environment) for _ in range(5)) / INVOCATIONS * 1e6
            for name, (program, environment) in cases(environments, INVOCATIONS).items()
        }
        unit = "us of CPU"
    floor = per_call[FLOOR]
    print(f"\nwarm overhead per invocation ({unit}; one GetItem answered before sending; ratio to the floor)\n")
    print(f"| | per invocation, {unit} | ratio to the floor | over the floor |")
    print("|---|---|---|---|")
    for name, value in per_call.items():
        print(f"| {name} | {value:,.0f} | {value / floor:.2f} | +{value - floor:,.0f} |")


if __name__ == "__main__":
    main()
