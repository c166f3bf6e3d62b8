"""E9002/E9003/E9007: every function chooses its memory and timeout, logs to a log group with retention, and every
asynchronous event source keeps what fails (a dead-letter queue or an on-failure destination).

Each rule reads SAM functions (template.yaml) and the Lambda functions SAM expands them into (what is deployed).
"""

from typing import Any, ClassVar

from cfnlint.rules import CloudFormationLintRule, RuleMatch

LAMBDA_DEFAULTS = {"MemorySize": 128, "Timeout": 3}
FUNCTION_TYPES = ["AWS::Serverless::Function", "AWS::Lambda::Function"]
# Event types Lambda invokes asynchronously (a failed event needs somewhere to go) and polled stream sources.
ASYNC_EVENTS = {"S3", "SNS", "Schedule", "ScheduleV2", "EventBridgeRule", "CloudWatchEvent", "IoTRule"}
STREAM_EVENTS = {"DynamoDB", "Kinesis"}


class FunctionSizing(CloudFormationLintRule):
    id = "E9002"
    shortdesc = "Functions set MemorySize and Timeout on purpose"
    description = "Lambda's 128 MB / 3 s defaults are never what a production function wants."
    source_url = "https://docs.aws.amazon.com/lambda/latest/operatorguide/computing-power.html"
    tags: ClassVar[list[str]] = ["lambda", "project"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, resource in cfn.get_resources(FUNCTION_TYPES).items():
            properties = resource.get("Properties", {})
            for setting, default in LAMBDA_DEFAULTS.items():
                if properties.get(setting, default) == default:
                    path = ["Resources", name, "Properties", setting]
                    matches.append(RuleMatch(path, f"{name}: {setting} is left at Lambda's default"))
        return matches


class FunctionLogRetention(CloudFormationLintRule):
    id = "E9003"
    shortdesc = "Functions log to their own log group with retention"
    description = "LoggingConfig.LogGroup must Ref an AWS::Logs::LogGroup that sets RetentionInDays."
    source_url = "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html"
    tags: ClassVar[list[str]] = ["lambda", "logs", "project"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        log_groups = cfn.get_resources(["AWS::Logs::LogGroup"])
        for name, resource in cfn.get_resources(FUNCTION_TYPES).items():
            target = resource.get("Properties", {}).get("LoggingConfig", {}).get("LogGroup")
            group = target.get("Ref") if isinstance(target, dict) else None
            retention = log_groups.get(group, {}).get("Properties", {}).get("RetentionInDays")
            if retention is None:
                path = ["Resources", name, "Properties", "LoggingConfig"]
                matches.append(RuleMatch(path, f"{name}: no LogGroup with RetentionInDays in LoggingConfig"))
        return matches


def _target(value: Any) -> str | None:
    """The logical id a Ref or GetAtt names."""
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        target = value["Fn::GetAtt"]
        return str(target.split(".")[0] if isinstance(target, str) else target[0])
    return None


def _has_on_failure(properties: dict[str, Any]) -> bool:
    return bool(properties.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination"))


class AsyncSourcesKeepFailures(CloudFormationLintRule):
    id = "E9007"
    shortdesc = "Asynchronous event sources have a dead-letter queue or an on-failure destination"
    description = (
        "A queue consumed by a function has a RedrivePolicy; a stream mapping has DestinationConfig.OnFailure; a "
        "function invoked asynchronously (S3, SNS, EventBridge...) has a DeadLetterQueue or an OnFailure destination."
    )
    source_url = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html"
    tags: ClassVar[list[str]] = ["lambda", "reliability", "project"]

    def _mapping_problem(self, cfn: Any, properties: dict[str, Any]) -> str | None:
        source = _target(properties.get("EventSourceArn") or properties.get("Queue") or properties.get("Stream"))
        resource = cfn.template.get("Resources", {}).get(source or "", {})
        if resource.get("Type") == "AWS::SQS::Queue":
            has_dlq = "RedrivePolicy" in resource.get("Properties", {})
            return None if has_dlq else f"queue {source} has no RedrivePolicy (dead-letter queue)"
        return None if _has_on_failure(properties) else "stream mapping has no DestinationConfig.OnFailure"

    def _function_problems(self, cfn: Any, properties: dict[str, Any]) -> list[str]:
        problems = []
        keeps_async_failures = "DeadLetterQueue" in properties or _has_on_failure(
            properties.get("EventInvokeConfig", {})
        )
        for event_name, event in properties.get("Events", {}).items():
            kind = event.get("Type")
            if kind in ASYNC_EVENTS and not keeps_async_failures:
                problems.append(f"event {event_name} ({kind}) without DeadLetterQueue or EventInvokeConfig OnFailure")
            elif kind == "SQS" or kind in STREAM_EVENTS:
                problem = self._mapping_problem(cfn, event.get("Properties", {}))
                problems += [f"event {event_name}: {problem}"] if problem else []
        return problems

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, resource in cfn.get_resources(["AWS::Lambda::EventSourceMapping"]).items():
            problem = self._mapping_problem(cfn, resource.get("Properties", {}))
            if problem:
                matches.append(RuleMatch(["Resources", name, "Properties"], f"{name}: {problem}"))
        for name, resource in cfn.get_resources(["AWS::Serverless::Function"]).items():
            for problem in self._function_problems(cfn, resource.get("Properties", {})):
                matches.append(RuleMatch(["Resources", name, "Properties", "Events"], f"{name}: {problem}"))
        return matches
