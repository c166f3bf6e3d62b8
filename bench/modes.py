"""The tracing modes every cold-start and warm figure is given for (template.yaml's TracingMode), the libraries
each mode configures (the floors' tracing part), and the targets the benches print.

The goal (issue 25): what our code adds over the floor of the libraries as the function configures them is at most
0.10 B, in every mode; with TracingMode=off the read and write functions import in under 1.50 B.
"""

from devstack.template import Template, load_template

TEMPLATE = load_template()
TRACING_MODES: tuple[str, ...] = tuple(TEMPLATE.body["Parameters"]["TracingMode"]["AllowedValues"])
OVER_FLOOR_TARGET = 0.10
OFF_TARGET, OFF_TARGET_FUNCTIONS = 1.50, ("ItemsReadFunction", "ItemsWriteFunction")

# What app.observability sets up in each mode, written with the libraries alone.
TRACERS = {
    "xray": "from aws_lambda_powertools import Tracer\nTracer(patch_modules=['botocore'])\n",
    "otel": (
        "import socket\n"
        "from opentelemetry.sdk.trace import TracerProvider\n"
        "from opentelemetry.sdk.resources import Resource\n"
        "from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans\n"
        "from opentelemetry.propagators.aws.aws_xray_propagator import AwsXRayLambdaPropagator\n"
        "from opentelemetry.sdk.extension.aws.trace.aws_xray_id_generator import AwsXRayIdGenerator\n"
        "TracerProvider(id_generator=AwsXRayIdGenerator(), resource=Resource.create({})).get_tracer('bench')\n"
        "AwsXRayLambdaPropagator()\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
    ),
    "off": "",
}
# The floor each function's import is held against, by its entry point.
FLOOR_OF_HANDLER = {"app.handlers.api.handler": "API floor", "app.handlers.jobs_worker.handler": "worker floor"}


def observability(mode: str) -> str:
    return "from aws_lambda_powertools import Logger, Metrics\nLogger()\nMetrics()\n" + TRACERS[mode]


def templates(revision_template: Template | None = None) -> dict[str, Template]:
    """The template under each mode: a function's TRACING_MODE follows the parameter."""
    path = (revision_template or TEMPLATE).path
    return {mode: load_template(path, parameters={"TracingMode": mode}) for mode in TRACING_MODES}


def row(name: str, mode: str) -> str:
    return f"{name} [{mode}]"


def target_cell(name: str, mode: str, ratio: float, floor: float | None) -> str:
    """The target column of a function's row in one mode: its addition over its floor, and off's absolute goal."""
    cells = []
    if floor is not None:
        over = round(ratio - floor, 3)  # as printed: 1.60 - 1.50 is 0.10000000000000009 in floating point
        cells.append(f"{over:+.3f} over floor (<= {OVER_FLOOR_TARGET} {'ok' if over <= OVER_FLOOR_TARGET else 'OVER'})")
    if mode == "off" and name in OFF_TARGET_FUNCTIONS:
        cells.append(f"< {OFF_TARGET} {'ok' if ratio < OFF_TARGET else 'OVER'}")
    return "; ".join(cells)
