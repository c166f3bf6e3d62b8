"""The parameter sets the template is checked under: expanded, linted (cfn-lint with cfn_rules/) and scanned
(checkov) for each, and asserted on by tests/static. Plain data, so both the translator's isolated environment
(scripts/expand_template.py) and the project's tests import it.
"""

import itertools

STAGES = ("dev", "prod")
VPC_MODES = ("none", "new", "existing")
SNAPSTART = ("true", "false")
# template.yaml's TracingMode AllowedValues (tests/static/test_template_rules.py holds them equal): every set below
# is checked in each mode, since a mode may bring its own resources, permissions and environment.
TRACING_MODES = ("xray", "otel", "off")

# What VpcMode=existing needs from the user; shaped like real ids so checkov and cfn-lint see plausible values.
EXISTING_VPC = {
    "VpcSubnetIds": "subnet-0a1b2c3d4e5f60718,subnet-0f1e2d3c4b5a69788",
    "VpcSecurityGroupIds": "sg-0a1b2c3d4e5f60718",
}
# ApiDomainName with what it needs: a certificate in the Region, and a hosted zone for the alias records.
CUSTOM_DOMAIN = {
    "ApiDomainName": "api.items.example.org",
    "ApiCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9",
    "ApiHostedZoneId": "Z0123456789ABCDEFGHIJ",
}
# Stage=prod refuses to deploy without these (template Rules).
PROD = {"AlarmEmail": "oncall@example.org", "CorsAllowedOrigins": "https://items.example.org"}


def parameter_sets() -> dict[str, dict[str, str]]:
    """name -> parameter values: each set of configuration_sets() in each TracingMode."""
    return {
        f"{name}-tracing_{mode}": values | {"TracingMode": mode}
        for name, values in configuration_sets().items()
        for mode in TRACING_MODES
    }


def configuration_sets() -> dict[str, dict[str, str]]:
    """name -> parameter values: Stage x VpcMode x EnableSnapStart, a custom domain, and provisioned concurrency
    (without SnapStart)."""
    sets: dict[str, dict[str, str]] = {}
    for stage, vpc_mode, snapstart in itertools.product(STAGES, VPC_MODES, SNAPSTART):
        values = {"Stage": stage, "VpcMode": vpc_mode, "EnableSnapStart": snapstart}
        values |= EXISTING_VPC if vpc_mode == "existing" else {}
        values |= PROD if stage == "prod" else {}
        sets[f"{stage}-vpc_{vpc_mode}-snapstart_{snapstart}"] = values
    sets["prod-vpc_none-domain"] = {
        "Stage": "prod",
        "VpcMode": "none",
        "EnableSnapStart": "false",
        **CUSTOM_DOMAIN,
        **PROD,
    }
    sets["prod-vpc_none-provisioned_2"] = {
        "Stage": "prod",
        "VpcMode": "none",
        "EnableSnapStart": "false",
        "ProvisionedConcurrency": "2",
        **PROD,
    }
    return sets
