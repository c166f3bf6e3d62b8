"""A Lambda-like process environment for a function of template.yaml, with placeholder resource names."""

import os
from collections.abc import Mapping

from moto import mock_aws

from devstack.names import Names
from devstack.provision import provision
from devstack.template import Template


def local_names(template: Template) -> Names:
    """Names as the local stack would create them (in moto, in memory): the benchmarks never reach AWS."""
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        return provision(template)


def lambda_environment(template: Template, logical_id: str, names: Names) -> dict[str, str]:
    function_environment = template.function_environment(logical_id, names)
    base: Mapping[str, str] = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    return {
        **base,
        **function_environment,
        # What the Lambda runtime sets: with LAMBDA_TASK_ROOT, Powertools Tracer and the X-Ray SDK take their
        # real Lambda code paths (local sampler, no centralized-sampling client) instead of disabling themselves.
        "LAMBDA_TASK_ROOT": os.getcwd(),
        "AWS_LAMBDA_FUNCTION_NAME": logical_id,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_LAMBDA_LOG_FORMAT": "JSON",
        "PYTHONPATH": os.pathsep.join(["src", "."]),
    }
