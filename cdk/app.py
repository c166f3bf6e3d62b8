"""The CDK app: `cdk deploy` (cdk.json runs this file) or `make cdk-synth`.

Add your own constructs below, next to the service: they reach its resources by logical id, e.g.
`stack.service.resource("HttpApi").ref`. tests/cdk shows an added alarm and an added route.
"""

import sys
from pathlib import Path

import aws_cdk as cdk

# cdk/ is a package of the repository, not an installed one: run from cdk/ (cdk.json), it needs the root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cdk.service.stack import ServiceStack, default_stack_name, synthesizer

# CDK's template validation fails the synth on a finding (cdk.json says so too, for the CLI).
app = cdk.App(context={"@aws-cdk/core:validateAgainstDefaultRules": True})
stack = ServiceStack(
    app,
    "ServiceStack",
    stack_name=app.node.try_get_context("stackName") or default_stack_name(),
    synthesizer=synthesizer(app),
)
# Your constructs here.
app.synth()
