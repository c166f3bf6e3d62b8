"""IAM mutations: one change to one function's policy in template.yaml makes a named e2e test fail.

Each case starts the local stack on a copy of template.yaml with one statement of one function's role changed (an
action removed, or the statement pointed at another resource), runs one e2e test against it in a pytest
subprocess, and expects that test to fail and the stack's log (or the test's output, for a presigned request) to
name the call IAM refused. The unchanged template passes the same tests in the rest of the e2e tier, so the
change is what fails them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from devstack.template import load_template
from tests.e2e.localstack import REPO_ROOT

TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/items-local-{}"


@dataclass(frozen=True)
class Mutation:
    function: str
    sid: str
    test: str  # the e2e test that must fail
    refused: str  # what the stack's log must show IAM refusing
    without_action: str | None = None
    resource: Any = None


MUTATIONS = {
    "ItemsWriteFunction without dynamodb:PutItem on ItemsTable": Mutation(
        function="ItemsWriteFunction",
        sid="WriteItems",
        without_action="dynamodb:PutItem",
        test="tests/e2e/test_items_e2e.py::test_crud_contract",
        refused=f"perform: dynamodb:PutItem on resource: {TABLE.format('ItemsTable')}",
    ),
    "ItemsWriteFunction's item writes pointed at IdempotencyTable": Mutation(
        function="ItemsWriteFunction",
        sid="WriteItems",
        resource={"Fn::GetAtt": ["IdempotencyTable", "Arn"]},
        test="tests/e2e/test_items_e2e.py::test_crud_contract",
        refused=f"perform: dynamodb:PutItem on resource: {TABLE.format('ItemsTable')}",
    ),
    "ItemsWriteFunction without dynamodb:GetItem on ItemsTable (before 10058b9)": Mutation(
        function="ItemsWriteFunction",
        sid="WriteItems",
        without_action="dynamodb:GetItem",
        test="tests/e2e/test_hostile_e2e.py::test_repeated_if_match_fields_are_one_list",
        refused=f"perform: dynamodb:GetItem on resource: {TABLE.format('ItemsTable')}",
    ),
    "JobsFunction signs uploads for exports/ only (presigned POST)": Mutation(
        function="JobsFunction",
        sid="SignImportUploads",
        resource={"Fn::Sub": "arn:${AWS::Partition}:s3:::${JobsBucket}/exports/*"},
        test="tests/e2e/test_imports_e2e.py::test_an_import_then_an_export_over_http",
        refused="perform: s3:PutObject on resource: arn:aws:s3:::items-jobs-local/imports/",
    ),
    "JobsFunction deletes job files under exports/ only": Mutation(
        function="JobsFunction",
        sid="DeleteJobFiles",
        resource={"Fn::Sub": "arn:${AWS::Partition}:s3:::${JobsBucket}/exports/*"},
        test="tests/e2e/test_job_deletes_e2e.py::test_finished_jobs_are_deleted_by_their_owner_only",
        refused="perform: s3:DeleteObject on resource: arn:aws:s3:::items-jobs-local/imports/",
    ),
    "JobsFunction without dynamodb:DeleteItem on ItemsTable": Mutation(
        function="JobsFunction",
        sid="JobRecords",
        without_action="dynamodb:DeleteItem",
        test="tests/e2e/test_job_deletes_e2e.py::test_finished_jobs_are_deleted_by_their_owner_only",
        refused=f"perform: dynamodb:DeleteItem on resource: {TABLE.format('ItemsTable')}",
    ),
}


def mutated_template(mutation: Mutation, directory: Path) -> Path:
    body = load_template(REPO_ROOT / "template.yaml").body
    policies = body["Resources"][mutation.function]["Properties"]["Policies"]
    statements = [statement for policy in policies for statement in policy.get("Statement", [])]
    (statement,) = [statement for statement in statements if statement.get("Sid") == mutation.sid]
    if mutation.without_action is not None:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert mutation.without_action in actions, f"{mutation.sid} no longer grants {mutation.without_action}"
        statement["Action"] = [action for action in actions if action != mutation.without_action]
    if mutation.resource is not None:
        statement["Resource"] = mutation.resource
    # The copy lives elsewhere: its relative CodeUri (src/) and the API docs' openapi.json must still be found.
    for name in ("src", "openapi.json"):
        (directory / name).symlink_to(REPO_ROOT / name)
    path = directory / "template.json"  # JSON is YAML: the SAM translator and the stack read it alike
    path.write_text(json.dumps(body, indent=1))
    return path


@pytest.mark.parametrize("mutation", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_a_mutated_policy_fails_its_named_e2e_test(mutation: Mutation, tmp_path: Path) -> None:
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith("AWS_ENDPOINT_URL")},
        "DEVSTACK_TEMPLATE": str(mutated_template(mutation, tmp_path)),
        "DEVSTACK_IAM_DIR": str(tmp_path / "iam"),  # not the e2e run's own usage record
    }
    command = [sys.executable, "-m", "pytest", mutation.test, "-q", "-x", "-p", "no:cacheprovider"]
    finished = subprocess.run(
        [*command, "--basetemp", str(tmp_path / "run")],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    # A function's refused call is in the stack's log; a refused presigned request in the test's own output.
    logs = "".join(log.read_text(errors="replace") for log in (tmp_path / "run").rglob("devstack.log"))
    evidence = logs + finished.stdout

    assert finished.returncode == 1, finished.stdout[-3000:]  # 1: tests ran and failed (not a crash, not a pass)
    # DynamoDB's AccessDeniedException; S3's AccessDenied as XML (a presigned request) or as botocore names it (a
    # function's own S3 call, in the function's logged exception).
    denials = ("AccessDeniedException", "AccessDenied</Code>", "(AccessDenied)")
    assert any(denial in evidence for denial in denials), finished.stdout[-3000:]
    assert mutation.refused in evidence
