"""cdk-nag's AwsSolutions and Serverless packs over what each parameter set deploys: the SAM expansion, since the
packs have no rules for AWS::Serverless::* (on the raw include they would see no function, role or API).

Every finding is acknowledged next to the resource it comes from, in template.yaml, as checkov's skips are:

    Metadata:
      cdk_nag:
        rules_to_suppress:
          - id: AwsSolutions-IAM5
            applies_to: ["Resource::<ItemsTable.Arn>/stream/*"]   # optional: only these granular findings
            reason: why this is right here

A resource SAM generates (HealthFunctionRole) answers to the template resource it comes from (HealthFunction);
an AWS-managed policy (AwsSolutions-IAM4) to the template's Metadata.ManagedPolicyJustifications, which
cfn_rules E9006 already requires.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import cdk_nag
from aws_cdk import cloudformation_include

PACKS = (cdk_nag.AwsSolutionsChecks, cdk_nag.ServerlessChecks)
MANAGED_POLICY_RULE = "AwsSolutions-IAM4"


@dataclass(frozen=True)
class Finding:
    rule: str  # as cdk-nag names it: AwsSolutions-IAM5[Resource::*] for a granular finding
    resource: str

    @property
    def rule_id(self) -> str:
        return self.rule.split("[", 1)[0]

    @property
    def applies_to(self) -> str | None:
        return self.rule[len(self.rule_id) + 1 : -1] if "[" in self.rule else None


def findings(expanded: dict[str, dict[str, Any]], workdir: Path) -> dict[Finding, list[str]]:
    """finding -> the parameter sets it occurs in, for every expanded template (name -> template)."""
    app = cdk.App(outdir=str(workdir / "cdk.out"))
    packs = [pack(app) for pack in PACKS]
    found: dict[Finding, list[str]] = {}
    for name, template in expanded.items():
        template_file = workdir / f"{name}.json"
        template_file.write_text(json.dumps(template))
        stack = cdk.Stack(app, name.replace("_", "-"))
        cloudformation_include.CfnInclude(
            stack, "Expanded", template_file=str(template_file), preserve_logical_ids=True
        )
        for pack in packs:
            for violation in pack.validate_scope(stack).violations:
                for resource in violation.violating_resources:
                    finding = Finding(violation.rule_name, resource.construct_path.rsplit("/", 1)[-1])
                    found.setdefault(finding, []).append(name)
    return found


def source_resource(resource: str, template: dict[str, Any]) -> str | None:
    """The template resource a resource comes from: itself, or the longest logical id SAM prefixed it with."""
    candidates = [name for name in template["Resources"] if resource.startswith(name)]
    return max(candidates, key=len) if candidates else None


def acknowledgments(resource: str | None, template: dict[str, Any]) -> list[dict[str, Any]]:
    if resource is None:
        return []
    metadata = template["Resources"][resource].get("Metadata", {})
    return list(metadata.get("cdk_nag", {}).get("rules_to_suppress", []))


def reason(finding: Finding, template: dict[str, Any]) -> str | None:
    """Why the finding is accepted, from template.yaml; None when nothing acknowledges it."""
    if finding.rule_id == MANAGED_POLICY_RULE and finding.applies_to:
        policy = finding.applies_to.rsplit("/", 1)[-1]
        justified = template.get("Metadata", {}).get("ManagedPolicyJustifications", {})
        return justified.get(policy)
    for acknowledgment in acknowledgments(source_resource(finding.resource, template), template):
        applies_to = acknowledgment.get("applies_to")
        if acknowledgment["id"] == finding.rule_id and (not applies_to or finding.applies_to in applies_to):
            return str(acknowledgment.get("reason", "")).strip() or None
    return None


def unused_acknowledgments(found: Iterable[Finding], template: dict[str, Any]) -> list[str]:
    """Acknowledgments no finding needs any more (the resource was fixed, or the rule renamed)."""
    needed = {(source_resource(finding.resource, template), finding.rule_id) for finding in found}
    return [
        f"{name}: {acknowledgment['id']}"
        for name in template["Resources"]
        for acknowledgment in acknowledgments(name, template)
        if (name, acknowledgment["id"]) not in needed
    ]
