"""What each parameter set deploys (the template expanded by SAM, conditions resolved): alarms that reach a person,
the VPC and its endpoints, the live alias and its deployment group, SnapStart and provisioned concurrency."""

from typing import Any

import pytest

from app.observability import SERVER_ERROR_RESPONSES as SERVER_ERRORS
from devstack.template import load_template
from scripts.parameter_sets import parameter_sets

SETS = parameter_sets()
# What the template declares, read from it: a function, route or table added there is checked here without an edit.
TEMPLATE = load_template()
FUNCTIONS = set(TEMPLATE.functions())
API_FUNCTIONS = {route.function_id for route in TEMPLATE.routes()}
ROUTES = TEMPLATE.routes()
OTHER_ALARMS = {
    "ApiServerErrorsAlarm",
    "ApiLatencyAlarm",
    "AuditStreamIteratorAgeAlarm",
    "ImportQueueAgeAlarm",
    "ExportQueueAgeAlarm",
    "JobsWorkerInvocationRateAlarm",
    "ImportDeadLetterAlarm",
    "ExportDeadLetterAlarm",
    "AuditFailuresAlarm",
}
TABLES = set(TEMPLATE.resources_of_type("AWS::DynamoDB::Table"))
ALARMS = (
    {f"{f}{kind}Alarm" for f in FUNCTIONS for kind in ("Errors", "Throttles", "Duration", "Memory")}
    | {f"{f}ServerErrorsAlarm" for f in API_FUNCTIONS}
    | {f"{t}{kind}Alarm" for t in TABLES for kind in ("Throttles", "SystemErrors")}
    | OTHER_ALARMS
)


def of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {name: r["Properties"] for name, r in template["Resources"].items() if r["Type"] == resource_type}


def dimension(alarm: dict[str, Any]) -> Any:
    [only] = alarm["Dimensions"]
    return only["Value"]


@pytest.fixture(params=sorted(SETS))
def parameter_set(request: pytest.FixtureRequest, expanded: dict[str, dict[str, Any]]) -> tuple[dict[str, str], Any]:
    return SETS[request.param], expanded[request.param]


def test_every_alarm_notifies_the_topic(parameter_set: tuple[dict[str, str], Any]) -> None:
    _, template = parameter_set
    alarms = of_type(template, "AWS::CloudWatch::Alarm")

    assert set(alarms) == ALARMS
    assert all(alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}] for alarm in alarms.values())


def test_cloudwatch_may_publish_to_the_encrypted_topic(parameter_set: tuple[dict[str, str], Any]) -> None:
    _, template = parameter_set
    topic = of_type(template, "AWS::SNS::Topic")["AlarmTopic"]
    key = of_type(template, "AWS::KMS::Key")["AlarmTopicKey"]
    [statement] = [
        s for s in key["KeyPolicy"]["Statement"] if s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    ]

    assert topic["KmsMasterKeyId"] == {"Ref": "AlarmTopicKey"}
    assert set(statement["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey"}
    assert key["EnableKeyRotation"] is True


def test_per_function_alarms_watch_their_function_and_duration_near_its_timeout(
    parameter_set: tuple[dict[str, str], Any],
) -> None:
    _, template = parameter_set
    alarms = of_type(template, "AWS::CloudWatch::Alarm")
    functions = of_type(template, "AWS::Lambda::Function")

    assert set(functions) == FUNCTIONS
    for name, function in functions.items():
        for kind in ("Errors", "Throttles", "Duration"):
            assert alarms[f"{name}{kind}Alarm"]["MetricName"] == kind
            assert dimension(alarms[f"{name}{kind}Alarm"]) == {"Ref": name}
        assert alarms[f"{name}DurationAlarm"]["ExtendedStatistic"] == "p99"
        assert alarms[f"{name}DurationAlarm"]["Threshold"] == function["Timeout"] * 1000 * 0.8
        # What the on-call person reads names the same timeout.
        assert f"its {function['Timeout']} s timeout" in alarms[f"{name}DurationAlarm"]["AlarmDescription"]


def test_api_functions_alarm_on_the_5xx_they_answer_themselves(parameter_set: tuple[dict[str, str], Any]) -> None:
    _, template = parameter_set
    alarms = of_type(template, "AWS::CloudWatch::Alarm")
    variables = template["Resources"]["HealthFunction"]["Properties"]["Environment"]["Variables"]

    for name in API_FUNCTIONS:
        alarm = alarms[f"{name}ServerErrorsAlarm"]
        # The dimensions Powertools' EMF document carries (app/observability.py), exactly: CloudWatch matches all.
        assert (alarm["Namespace"], alarm["MetricName"]) == (variables["POWERTOOLS_METRICS_NAMESPACE"], SERVER_ERRORS)
        assert alarm["Dimensions"] == [
            {"Name": "function_name", "Value": {"Ref": name}},
            {"Name": "service", "Value": variables["POWERTOOLS_SERVICE_NAME"]},
        ]
        assert (alarm["Statistic"], alarm["Threshold"], alarm["ComparisonOperator"]) == (
            "Sum",
            0,
            "GreaterThanThreshold",
        )


def test_each_function_alarms_at_90_percent_of_its_memory_from_its_platform_reports(
    parameter_set: tuple[dict[str, str], Any],
) -> None:
    _, template = parameter_set
    alarms = of_type(template, "AWS::CloudWatch::Alarm")
    filters = of_type(template, "AWS::Logs::MetricFilter")

    for name, function in of_type(template, "AWS::Lambda::Function").items():
        metric_filter = filters[f"{name}MemoryMetricFilter"]
        [transformation] = metric_filter["MetricTransformations"]
        alarm = alarms[f"{name}MemoryAlarm"]
        # The report records reach the log group only at SystemLogLevel INFO or DEBUG (platform.report is INFO).
        assert function["LoggingConfig"]["SystemLogLevel"] in {"INFO", "DEBUG"}
        assert function["LoggingConfig"]["LogGroup"] == metric_filter["LogGroupName"]
        assert metric_filter["FilterPattern"] == '{ $.type = "platform.report" }'
        assert transformation["MetricValue"] == "$.record.metrics.maxMemoryUsedMB"
        assert (alarm["Namespace"], alarm["MetricName"]) == (
            transformation["MetricNamespace"],
            transformation["MetricName"],
        )
        assert transformation["MetricName"] == {"Fn::Sub": f"${{{name}}}-MaxMemoryUsedMB"}
        assert (alarm["Statistic"], alarm["Threshold"]) == ("Maximum", function["MemorySize"] * 0.9)


def test_each_table_alarms_on_throttled_requests_and_system_errors_of_every_operation(
    parameter_set: tuple[dict[str, str], Any],
) -> None:
    _, template = parameter_set
    alarms = of_type(template, "AWS::CloudWatch::Alarm")

    assert set(of_type(template, "AWS::DynamoDB::Table")) == TABLES
    for table in TABLES:
        for kind, metric in (("Throttles", "ThrottledRequests"), ("SystemErrors", "SystemErrors")):
            [query] = alarms[f"{table}{kind}Alarm"]["Metrics"]
            expected = f'SELECT SUM({metric}) FROM SCHEMA("AWS/DynamoDB", Operation, TableName)'
            assert query["Expression"]["Fn::Sub"] == f"{expected} WHERE TableName = '${{{table}}}'"


def test_every_alarm_s_metric_is_on_the_dashboard(parameter_set: tuple[dict[str, str], Any]) -> None:
    _, template = parameter_set
    body = template["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]

    for name, alarm in of_type(template, "AWS::CloudWatch::Alarm").items():
        if "MetricName" in alarm:
            metric = alarm["MetricName"]
            shown = (metric["Fn::Sub"] if isinstance(metric, dict) else metric) in body
        else:
            names = [m["MetricStat"]["Metric"]["MetricName"] for m in alarm["Metrics"] if "MetricStat" in m]
            queries = [
                m["Expression"]["Fn::Sub"].split("(")[1].split(")")[0] for m in alarm["Metrics"] if "Fn::Sub" in str(m)
            ]
            shown = all(f'"{n}"' in body for n in names) and all(q in body for q in queries)
        assert shown, name


def test_queues_streams_and_the_worker_are_watched(parameter_set: tuple[dict[str, str], Any]) -> None:
    _, template = parameter_set
    alarms = of_type(template, "AWS::CloudWatch::Alarm")
    queues = of_type(template, "AWS::SQS::Queue")
    dead_letter = {
        q["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0] for q in queues.values() if "RedrivePolicy" in q
    }
    on_failure = {
        m["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
        for m in of_type(template, "AWS::Lambda::EventSourceMapping").values()
        if "DestinationConfig" in m
    }
    watched = {
        metric: {dimension(a)["Fn::GetAtt"][0] for a in alarms.values() if a.get("MetricName") == metric}
        for metric in ("ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage")
    }

    assert watched["ApproximateNumberOfMessagesVisible"] == dead_letter | on_failure
    assert watched["ApproximateAgeOfOldestMessage"] == {"ImportQueue", "ExportQueue"}
    assert dimension(alarms["AuditStreamIteratorAgeAlarm"]) == {"Ref": "AuditFunction"}
    assert alarms["JobsWorkerInvocationRateAlarm"]["MetricName"] == "Invocations"
    assert dimension(alarms["JobsWorkerInvocationRateAlarm"]) == {"Ref": "JobsWorkerFunction"}


def test_the_api_alarms_on_5xx_rate_and_p99_latency(parameter_set: tuple[dict[str, str], Any]) -> None:
    _, template = parameter_set
    alarms = of_type(template, "AWS::CloudWatch::Alarm")
    rate = alarms["ApiServerErrorsAlarm"]["Metrics"]

    assert [m["Expression"] for m in rate if "Expression" in m] == ["100 * errors / requests"]
    assert {m["MetricStat"]["Metric"]["MetricName"] for m in rate if "MetricStat" in m} == {"5xx", "Count"}
    assert alarms["ApiLatencyAlarm"]["ExtendedStatistic"] == "p99"


def test_routes_and_mappings_invoke_the_live_alias(parameter_set: tuple[dict[str, str], Any]) -> None:
    _, template = parameter_set
    aliases = of_type(template, "AWS::Lambda::Alias")
    body = str(of_type(template, "AWS::ApiGatewayV2::Api")["HttpApi"]["Body"])

    assert {a["FunctionName"]["Ref"] for a in aliases.values() if a["Name"] == "live"} == FUNCTIONS
    for mapping in of_type(template, "AWS::Lambda::EventSourceMapping").values():
        assert mapping["FunctionName"]["Ref"] in aliases
    for permission in of_type(template, "AWS::Lambda::Permission").values():
        assert permission["FunctionName"]["Ref"] in aliases
    assert body.count("Aliaslive}/invocations") == len(ROUTES)
    assert "Function}/invocations" not in body


def test_each_function_deploys_through_codedeploy_rolled_back_by_its_errors_and_handled_5xx(
    parameter_set: tuple[dict[str, str], Any],
) -> None:
    parameters, template = parameter_set
    groups = of_type(template, "AWS::CodeDeploy::DeploymentGroup")
    expected = "Canary10Percent5Minutes" if parameters["Stage"] == "prod" else "AllAtOnce"

    assert set(groups) == {f"{name}DeploymentGroup" for name in FUNCTIONS}
    for name in FUNCTIONS:
        group = groups[f"{name}DeploymentGroup"]
        assert group["DeploymentConfigName"]["Fn::Sub"][1] == {"ConfigName": expected}
        rollback = [f"{name}ErrorsAlarm", *([f"{name}ServerErrorsAlarm"] if name in API_FUNCTIONS else [])]
        assert group["AlarmConfiguration"] == {"Enabled": True, "Alarms": [{"Name": {"Ref": a}} for a in rollback]}
        assert "DEPLOYMENT_STOP_ON_ALARM" in group["AutoRollbackConfiguration"]["Events"]


def test_snapstart_and_provisioned_concurrency_follow_their_parameters(
    parameter_set: tuple[dict[str, str], Any],
) -> None:
    parameters, template = parameter_set
    apply_on = "PublishedVersions" if parameters["EnableSnapStart"] == "true" else "None"
    provisioned = int(parameters.get("ProvisionedConcurrency", "0"))
    aliases = of_type(template, "AWS::Lambda::Alias")

    for function in of_type(template, "AWS::Lambda::Function").values():
        assert function["SnapStart"] == {"ApplyOn": apply_on}
    for alias in aliases.values():
        config = alias.get("ProvisionedConcurrencyConfig")
        if provisioned and alias["FunctionName"]["Ref"] in API_FUNCTIONS:
            assert config == {"ProvisionedConcurrentExecutions": {"Ref": "ProvisionedConcurrency"}}
        else:
            assert config is None
    assert not (provisioned and apply_on != "None")


def test_functions_run_in_the_vpc_the_mode_asks_for(parameter_set: tuple[dict[str, str], Any]) -> None:
    parameters, template = parameter_set
    configs = [function.get("VpcConfig") for function in of_type(template, "AWS::Lambda::Function").values()]
    ec2 = {name for name, r in template["Resources"].items() if r["Type"].startswith("AWS::EC2::")}

    if parameters["VpcMode"] == "none":
        assert configs == [None] * len(FUNCTIONS)
        assert ec2 == set()
    elif parameters["VpcMode"] == "existing":
        expected: dict[str, Any] = {
            "SubnetIds": {"Fn::Split": [",", {"Ref": "VpcSubnetIds"}]},
            "SecurityGroupIds": {"Fn::Split": [",", {"Ref": "VpcSecurityGroupIds"}]},
        }
        assert configs == [expected] * len(FUNCTIONS)
        assert parameters["VpcSubnetIds"].count("subnet-") == 2
        assert ec2 == set()
    else:
        expected = {
            "SubnetIds": [{"Ref": "PrivateSubnetA"}, {"Ref": "PrivateSubnetB"}],
            "SecurityGroupIds": [{"Ref": "FunctionSecurityGroup"}],
        }
        assert configs == [expected] * len(FUNCTIONS)


@pytest.mark.parametrize("name", sorted(name for name, values in SETS.items() if values["VpcMode"] == "new"))
def test_a_new_vpc_has_private_subnets_in_two_zones_endpoints_and_no_way_out(
    name: str, expanded: dict[str, dict[str, Any]]
) -> None:
    template = expanded[name]
    types = {r["Type"] for r in template["Resources"].values()}
    subnets = of_type(template, "AWS::EC2::Subnet")
    endpoints = {
        e["ServiceName"]["Fn::Sub"].rsplit(".", 1)[1]: e for e in of_type(template, "AWS::EC2::VPCEndpoint").values()
    }
    groups = of_type(template, "AWS::EC2::SecurityGroup")

    assert {s["AvailabilityZone"]["Fn::Select"][0] for s in subnets.values()} == {0, 1}
    assert not any(s["MapPublicIpOnLaunch"] for s in subnets.values())
    assert not types & {"AWS::EC2::NatGateway", "AWS::EC2::InternetGateway", "AWS::EC2::Route"}
    assert {name: e["VpcEndpointType"] for name, e in endpoints.items()} == {
        "dynamodb": "Gateway",
        "s3": "Gateway",
        "sqs": "Interface",
        "secretsmanager": "Interface",
    }
    for name in ("sqs", "secretsmanager"):
        assert endpoints[name]["PrivateDnsEnabled"] is True
        assert endpoints[name]["SecurityGroupIds"] == [{"Ref": "EndpointSecurityGroup"}]
    rules = [
        *groups["EndpointSecurityGroup"]["SecurityGroupIngress"],
        *groups["FunctionSecurityGroup"]["SecurityGroupEgress"],
    ]
    assert {(r["IpProtocol"], r["FromPort"], r["ToPort"]) for r in rules} == {("tcp", 443, 443)}
    assert "SecurityGroupIngress" not in groups["FunctionSecurityGroup"]
    assert groups["EndpointSecurityGroup"]["SecurityGroupIngress"][0]["SourceSecurityGroupId"] == {
        "Ref": "FunctionSecurityGroup"
    }


def test_the_user_pool_is_admin_only_and_kept_in_prod(parameter_set: tuple[dict[str, str], Any]) -> None:
    parameters, template = parameter_set
    pool = template["Resources"]["UserPool"]
    kept = "Retain" if parameters["Stage"] == "prod" else "Delete"

    assert pool["Properties"]["AdminCreateUserConfig"] == {"AllowAdminCreateUserOnly": True}
    assert (pool["DeletionPolicy"], pool["UpdateReplacePolicy"]) == (kept, kept)


def test_a_custom_domain_is_the_only_way_in_under_v1(parameter_set: tuple[dict[str, str], Any]) -> None:
    parameters, template = parameter_set
    resources = template["Resources"]
    # SAM writes DisableExecuteApiEndpoint into the OpenAPI body, as API Gateway's extension.
    [server] = resources["HttpApi"]["Properties"]["Body"]["servers"]
    disabled = server["x-amazon-apigateway-endpoint-configuration"]["disableExecuteApiEndpoint"]
    url = template["Outputs"]["ApiUrl"]["Value"]["Fn::Sub"]

    if not parameters.get("ApiDomainName"):
        assert not {"ApiDomain", "ApiDomainMapping", "ApiDomainRecords"} & set(resources)
        assert disabled is False
        assert url.startswith("https://${HttpApi}.execute-api.")
        return
    domain = resources["ApiDomain"]["Properties"]
    mapping = resources["ApiDomainMapping"]
    records = resources["ApiDomainRecords"]["Properties"]["RecordSets"]
    assert domain["DomainNameConfigurations"] == [
        {"CertificateArn": {"Ref": "ApiCertificateArn"}, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}
    ]
    assert (mapping["Properties"]["ApiMappingKey"], mapping["Properties"]["Stage"]) == ("v1", "$default")
    # The stage the mapping names is the one SAM generated for the API (CloudFormation creates it first).
    assert resources[mapping["DependsOn"]]["Type"] == "AWS::ApiGatewayV2::Stage"
    assert resources[mapping["DependsOn"]]["Properties"]["StageName"] == "$default"
    assert sorted(r["Type"] for r in records) == ["A", "AAAA"]
    assert all(r["AliasTarget"]["DNSName"] == {"Fn::GetAtt": ["ApiDomain", "RegionalDomainName"]} for r in records)
    assert disabled is True
    assert url == "https://${ApiDomainName}/v1"
