"""The programs `make bench` times in fresh `python3.13 -S` processes, each printing its duration last.

B is the baseline every figure is divided by: a bare boto3 DynamoDB client, what any Python function that talks
to DynamoDB pays. The floors are the libraries alone, configured as a function of ours configures them, so a
reader sees which part of a function's cold start is the libraries' and which is ours.
"""

from pathlib import Path

from bench import modes

BASELINE = "import boto3\nboto3.client('dynamodb')"
MODEL = (
    "from pydantic import BaseModel\nclass Item(BaseModel):\n    name: str\n    price: float\nItem(name='x', price=1)"
)
RESOLVER = "from aws_lambda_powertools.event_handler import APIGatewayHttpResolver\n"
VALIDATING_RESOLVER = RESOLVER + "APIGatewayHttpResolver(enable_validation=True)\n"
# How our functions configure the libraries: the collector paused during init (app/handlers/__init__.py), the API
# functions' Powertools event_handler importing a resolver when it is named (app/api/__init__.py, which the API
# floor imports) and the tracing of their TracingMode (bench.modes: only botocore traced with xray).
PAUSED = "import gc\ngc.disable()\n"
LAZY_RESOLVERS = "import app.api\n"

FLOORS = {
    "B + Logger + Metrics": BASELINE + "\nfrom aws_lambda_powertools import Logger, Metrics\nLogger()\nMetrics()",
    "B + Tracer": BASELINE + "\nfrom aws_lambda_powertools import Tracer\nTracer()",
    "B + APIGatewayHttpResolver()": BASELINE + "\n" + RESOLVER + "APIGatewayHttpResolver()",
    "B + APIGatewayHttpResolver(validation)": BASELINE + "\n" + VALIDATING_RESOLVER,
    "B + pydantic + one model": BASELINE + "\n" + MODEL,
    # Powertools' documented REST example: what a function gets by following the docs with no further care.
    "B + resolver(validation) + Logger + Metrics + Tracer": (
        BASELINE
        + "\n"
        + VALIDATING_RESOLVER
        + "from aws_lambda_powertools import Logger, Metrics, Tracer\nLogger()\nMetrics()\nTracer()"
    ),
}


def own_floors(mode: str) -> dict[str, str]:
    """The same libraries as our API functions and our worker configure them in one TracingMode: what no code of
    ours can go below (keys are bench.modes.FLOOR_OF_HANDLER's values)."""
    observability = modes.observability(mode)
    return {
        "API floor": PAUSED + LAZY_RESOLVERS + BASELINE + "\n" + VALIDATING_RESOLVER + observability,
        "worker floor": (
            PAUSED
            + BASELINE
            + "\nboto3.client('s3')\nboto3.client('sqs')\n"
            + "from aws_lambda_powertools.utilities.batch import BatchProcessor\n"
            + MODEL
            + "\n"
            + observability
        ),
    }


def timed(body: str, setup: str = "") -> str:
    """`body` between two clock readings; `setup` runs before the clock starts."""
    return f"import time\n{setup}\nstarted = time.process_time()\n{body}\nprint(time.process_time() - started)\n"


def import_handler(handler: str) -> str:
    module, _, _ = handler.rpartition(".")
    return timed(f"import {module}")


CONTEXT = """
import json
class Context:
    function_name = 'bench'
    function_version = '$LATEST'
    memory_limit_in_mb = 1024
    invoked_function_arn = 'arn:aws:lambda:us-east-1:123456789012:function:bench'
    aws_request_id = 'bench-request'
    log_group_name = log_stream_name = 'bench'
    def get_remaining_time_in_millis(self):
        return 10000
with open({event!r}) as file:
    event = json.load(file)
"""


def first_invocation(handler: str, event: Path) -> str:
    """Import plus one request through the real handler; prints the response's outcome, then the time."""
    module, _, function = handler.rpartition(".")
    body = (
        f"from {module} import {function} as handler\n"
        "response = handler(event, Context())\n"
        "elapsed = time.process_time() - started\n"
        "outcome = response.get('statusCode', len(response.get('batchItemFailures', [])))\n"
        "print('outcome', outcome)\n"
    )
    program = timed(body, CONTEXT.format(event=str(event)))
    return program.replace("print(time.process_time() - started)", "print(elapsed)")


def baseline_get_item(table: str, key: str, owner: str) -> str:
    """B plus one GetItem: the least a function that reads one item can do on its first invocation."""
    return timed(
        f"import boto3\nclient = boto3.client('dynamodb')\n"
        f"client.get_item(TableName={table!r}, Key={{'pk': {{'S': {owner!r}}}, 'sk': {{'S': {key!r}}}}})"
    )
