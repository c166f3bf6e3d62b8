"""cdk-nag (AwsSolutions, Serverless) on what every parameter set deploys: each finding acknowledged with a reason
next to its resource in template.yaml, and no acknowledgment left that no finding needs."""

from pathlib import Path
from typing import Any

import pytest

from cdk.service.nag import Finding, findings, reason, unused_acknowledgments
from devstack.template import load_template


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return dict(load_template().body)


@pytest.fixture(scope="module")
def found(
    expanded_synth: dict[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> dict[Finding, list[str]]:
    return findings(expanded_synth, tmp_path_factory.mktemp("nag"))


def test_the_packs_find_what_they_look_for(found: dict[Finding, list[str]]) -> None:
    # The check reads the expansions: on the raw include the packs would see no Lambda function at all.
    assert {finding.rule_id for finding in found} >= {"AwsSolutions-IAM4", "AwsSolutions-L1", "Serverless-LambdaDLQ"}


def test_every_finding_is_acknowledged_with_a_reason(found: dict[Finding, list[str]], template: dict[str, Any]) -> None:
    unacknowledged = [f"{finding.resource}: {finding.rule} ({len(sets)} sets)" for finding, sets in found.items()
                      if not reason(finding, template)]  # fmt: skip
    assert not unacknowledged, "fix or acknowledge in template.yaml (cdk/service/nag.py):\n" + "\n".join(unacknowledged)


def test_no_acknowledgment_is_left_without_a_finding(found: dict[Finding, list[str]], template: dict[str, Any]) -> None:
    assert not unused_acknowledgments(found, template)


def test_an_unacknowledged_finding_fails(tmp_path: Path, template: dict[str, Any]) -> None:
    queue = {"Resources": {"ExtraQueue": {"Type": "AWS::SQS::Queue", "Properties": {}}}}

    found = findings({"extra": queue}, tmp_path)

    assert any(reason(finding, template) is None for finding in found)
