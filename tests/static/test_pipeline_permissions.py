"""The pipeline roles proven, statically, against what CloudFormation itself needs (cfn-lint's resource provider
schemas and service authorization reference): every create, update and delete handler permission of every resource
of every expanded parameter set is allowed to the execution role, on a resource it can be about; every transform
template.yaml declares is allowed to the deploy role. How a permission is matched (tests/static/iam_policy.py):

- an action that takes no resource must be allowed on "*";
- an action of the resource type's own service must be allowed on the resource's ARN, built from the action's ARN
  format with the resource's name: the one the template gives it (the schema's primary identifier, e.g. a bucket's
  BucketName, resolved for the stack), else the one CloudFormation generates (<stack>-<LogicalId>-<suffix>);
- an action on another service's resource (the artifact a function's code comes from, the role it is passed) must be
  allowed on a Resource pattern that can match that action's ARN format at all;
- a statement conditioned on an aws:cloudformation:* tag does not count for a type CloudFormation does not tag.
"""

import tomllib
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest
import yaml
from cfnlint.decode import decode_str

from devstack.intrinsics import Intrinsics
from tests.static import cloudformation_needs as needs
from tests.static.handler_permission_exemptions import (
    EXEMPTIONS,
    NO_SERVICE_LINKED_ROLES,
    TAGGED_THROUGH,
    WITHOUT_HANDLER_PERMISSIONS,
    Exemption,
)
from tests.static.iam_policy import Statement, granting, granting_on_some, statements_of

ROOT = Path(__file__).parents[2]
# The pipeline stack's ServiceName: the project's name less "-service" (what `make fork` renames).
SERVICE = str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]).removesuffix("-service")
PIPELINE = ROOT / "pipeline" / "template.yaml"


def pipeline_role(role: str) -> list[Statement]:
    template, errors = decode_str(PIPELINE.read_text())
    assert not errors
    pseudo = {"AWS::Region": needs.REGION, "AWS::AccountId": needs.ACCOUNT, "AWS::Partition": "aws"}
    intrinsics = Intrinsics(parameters={"ServiceName": SERVICE}, conditions={}, mappings={}, pseudo=pseudo)
    names = {
        "ArtifactsBucket": f"{SERVICE}-pipeline-artifactsbucket-1a2b3c",
        "ArtifactsBucket.Arn": f"arn:aws:s3:::{SERVICE}-pipeline-artifactsbucket-1a2b3c",
        "CloudFormationExecutionRole.Arn": f"arn:aws:iam::{needs.ACCOUNT}:role/{SERVICE}-pipeline-Execution-1A2B3C",
    }
    policies = intrinsics.resolve(template["Resources"][role]["Properties"]["Policies"], names)
    return [statement for policy in policies for statement in statements_of(policy["PolicyDocument"])]


def property_set(resource: dict[str, Any], path: str) -> bool:
    value: Any = resource.get("Properties", {})
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return False
        value = value[key]
    return True


def exempted(resource: dict[str, Any], action: str) -> bool:
    if action.lower() == NO_SERVICE_LINKED_ROLES.lower() or needs.arn_formats(action) is None:
        return True  # the second: not an IAM action (e.g. s3:REST.PUT.OBJECT), so IAM never authorizes it
    return any(
        resource["Type"] in e.types
        and any(fnmatchcase(action, glob) for glob in e.actions)
        and not property_set(resource, e.property)
        for e in EXEMPTIONS
    )


def grants(role: list[Statement], resource_type: str, action: str, name: str) -> list[Statement]:
    tagged = needs.tagged_by_cloudformation(TAGGED_THROUGH.get(resource_type, resource_type))

    def usable(statement: Statement) -> bool:
        return tagged or not statement.relies_on_cloudformation_tags()

    formats = needs.arn_formats(action) or []
    if not formats:
        return granting(role, action, "*", usable)
    if action.split(":", maxsplit=1)[0].lower() != needs.iam_service(resource_type):
        return granting_on_some(role, action, formats, usable)
    return [s for arn in needs.sample_arns(formats, name) for s in granting(role, action, arn, usable)]


def generated_name(stack: str, logical_id: str) -> str:
    """A name as CloudFormation generates it, doubled around "/" for two-part ARNs (app/group, table/stream)."""
    name = f"{stack}-{logical_id}-1A2B3C4D5E6F"
    return f"{name}/{name}"


def physical_name(resource: dict[str, Any], logical_id: str, stack: str) -> str:
    """The name the template gives the resource, resolved for `stack`, else the one CloudFormation generates."""
    identifier = needs.identifier_property(resource["Type"])
    value = resource.get("Properties", {}).get(identifier or "")
    stack_id = f"arn:aws:cloudformation:{needs.REGION}:{needs.ACCOUNT}:stack/{stack}/0f1e2d3c-4b5a-6978"
    pseudo = {"AWS::Region": needs.REGION, "AWS::AccountId": needs.ACCOUNT, "AWS::Partition": "aws"}
    intrinsics = Intrinsics(parameters={}, conditions={}, mappings={}, pseudo=pseudo)
    try:
        name = intrinsics.resolve(value, {"AWS::StackName": stack, "AWS::StackId": stack_id})
    except KeyError:  # names another resource (a policy's bucket): the generated name stands in for it
        name = None
    return name if isinstance(name, str) else generated_name(stack, logical_id)


def denials(role: list[Statement], expanded: dict[str, dict[str, Any]]) -> list[str]:
    """One line per (type, action) the role does not allow in some parameter set: the handlers that need it, and
    the resources (logical ids) it is denied for."""
    denied: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for parameter_set, template in expanded.items():
        stack = f"{SERVICE}-{parameter_set.split('-')[0]}"
        for logical_id, resource in template["Resources"].items():
            name = physical_name(resource, logical_id, stack)
            for handler, permissions in needs.handler_permissions(resource["Type"]).items():
                for action in permissions:
                    if not exempted(resource, action) and not grants(role, resource["Type"], action, name):
                        handlers, resources = denied.setdefault((resource["Type"], action), (set(), set()))
                        handlers.add(handler)
                        resources.add(logical_id)
    return [
        f"{t}: {a} ({'/'.join(sorted(h))}) for {', '.join(sorted(r)[:3])}{' ...' * (len(r) > 3)}{why(role, t, a)}"
        for (t, a), (h, r) in sorted(denied.items())
    ]


def why(role: list[Statement], resource_type: str, action: str) -> str:
    conditioned = [s.sid for s in role if s.allows_action(action) and s.relies_on_cloudformation_tags()]
    if conditioned and not needs.tagged_by_cloudformation(TAGGED_THROUGH.get(resource_type, resource_type)):
        return f" only through {conditioned}'s aws:cloudformation tag condition, never on a {resource_type}"
    return ""


def test_the_execution_role_allows_every_handler_permission_of_every_resource_under_every_parameter_set(
    expanded: dict[str, dict[str, Any]],
) -> None:
    denied = denials(pipeline_role("CloudFormationExecutionRole"), expanded)

    assert not denied, "handler permissions the execution role does not allow:\n" + "\n".join(denied)


def test_every_deployed_type_s_schema_lists_its_handler_permissions_or_the_type_is_reviewed_by_hand(
    expanded: dict[str, dict[str, Any]],
) -> None:
    types = {r["Type"] for t in expanded.values() for r in t["Resources"].values()}
    without = {t for t in types if not {"create", "delete"} <= set(needs.handler_permissions(t))}

    assert without <= set(WITHOUT_HANDLER_PERMISSIONS), "no handler permissions to prove the role against"
    assert [t for t in WITHOUT_HANDLER_PERMISSIONS if needs.handler_permissions(t)] == [], "the schema lists them now"


def declared_transforms() -> list[str]:
    transform = yaml.load((ROOT / "template.yaml").read_text(), Loader=yaml.BaseLoader)["Transform"]
    return [transform] if isinstance(transform, str) else list(transform)


def test_the_deploy_role_may_create_change_sets_of_the_stacks_through_every_declared_transform() -> None:
    role = pipeline_role("DeployRole")
    stacks = [
        f"arn:aws:cloudformation:{needs.REGION}:{needs.ACCOUNT}:stack/{SERVICE}-{s}/1a2b" for s in ("dev", "pr-7")
    ]
    targets = stacks + [needs.transform_arn(t) for t in declared_transforms()]

    assert [arn for arn in targets if not granting(role, "cloudformation:CreateChangeSet", arn)] == []
    assert declared_transforms()


# What scripts/destroy.py calls on the jobs bucket, as IAM authorizes it (DeleteObjects: each version's action).
EMPTYING = {"s3:ListBucketVersions": "{bucket}", "s3:DeleteObjectVersion": "{bucket}/imports/o/a.jsonl"}


def test_the_deploy_role_may_empty_a_preview_stack_s_jobs_bucket_before_deleting_it(
    expanded: dict[str, dict[str, Any]],
) -> None:
    stack_id = f"arn:aws:cloudformation:{needs.REGION}:{needs.ACCOUNT}:stack/{SERVICE}-pr-7/0f1e2d3c-4b5a-6978"
    pseudo = {"AWS::Region": needs.REGION, "AWS::AccountId": needs.ACCOUNT, "AWS::StackId": stack_id}
    intrinsics = Intrinsics(parameters={}, conditions={}, mappings={}, pseudo=pseudo)
    jobs_bucket = next(iter(expanded.values()))["Resources"]["JobsBucket"]["Properties"]["BucketName"]
    bucket = f"arn:aws:s3:::{intrinsics.resolve(jobs_bucket, {})}"
    role = pipeline_role("DeployRole")

    assert [a for a, arn in EMPTYING.items() if not granting(role, a, arn.format(bucket=bucket))] == []
    assert granting(role, "cloudformation:DeleteStack", stack_id)


def test_the_preview_workflow_empties_the_jobs_bucket_before_deleting_the_stack() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "preview.yml").read_text())
    runs = [step.get("run", "") for step in workflow["jobs"]["delete"]["steps"]]

    assert [run for run in runs if "delete" in run or "destroy" in run or "undeploy" in run] == [
        'make destroy STACK="$STACK"'
    ]


@pytest.mark.parametrize("exemption", EXEMPTIONS, ids=lambda e: f"{e.types[0]}:{e.property}")
def test_each_exemption_is_still_needed(exemption: Exemption, expanded: dict[str, dict[str, Any]]) -> None:
    role = pipeline_role("CloudFormationExecutionRole")
    resources = [r for t in expanded.values() for r in t["Resources"].values() if r["Type"] in exemption.types]
    listed = {
        (r["Type"], action)
        for r in resources
        for permissions in needs.handler_permissions(r["Type"]).values()
        for action in permissions
        if any(fnmatchcase(action, glob) for glob in exemption.actions) and needs.arn_formats(action) is not None
    }
    not_allowed = [(t, a) for t, a in listed if not grants(role, t, a, generated_name(f"{SERVICE}-dev", "Name"))]

    assert listed, "no schema of these types lists such a permission any more: remove the exemption"
    assert not_allowed, "the role now allows every one of them: remove the exemption"
    assert not any(property_set(r, exemption.property) for r in resources), "the template sets the property now"


def test_service_linked_roles_and_unknown_actions_are_still_listed_by_the_schemas(
    expanded: dict[str, dict[str, Any]],
) -> None:
    types = {r["Type"] for t in expanded.values() for r in t["Resources"].values()}
    listed = {a for t in types for permissions in needs.handler_permissions(t).values() for a in permissions}

    assert NO_SERVICE_LINKED_ROLES in listed
    assert not any(s.allows_action(NO_SERVICE_LINKED_ROLES) for s in pipeline_role("CloudFormationExecutionRole"))
    assert [a for a in listed if needs.arn_formats(a) is None]


@pytest.mark.parametrize(("child", "parent"), TAGGED_THROUGH.items())
def test_a_type_authorized_on_its_parent_is_untagged_itself_and_its_parent_tagged(child: str, parent: str) -> None:
    assert (needs.tagged_by_cloudformation(child), needs.tagged_by_cloudformation(parent)) == (False, True)
