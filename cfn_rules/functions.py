"""E9002/E9003: every function chooses its memory and timeout, and logs to a log group with retention."""

from typing import Any, ClassVar

from cfnlint.rules import CloudFormationLintRule, RuleMatch

LAMBDA_DEFAULTS = {"MemorySize": 128, "Timeout": 3}


class FunctionSizing(CloudFormationLintRule):
    id = "E9002"
    shortdesc = "Functions set MemorySize and Timeout on purpose"
    description = "Lambda's 128 MB / 3 s defaults are never what a production function wants."
    source_url = "https://docs.aws.amazon.com/lambda/latest/operatorguide/computing-power.html"
    tags: ClassVar[list[str]] = ["lambda", "project"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, resource in cfn.get_resources(["AWS::Serverless::Function"]).items():
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
        for name, resource in cfn.get_resources(["AWS::Serverless::Function"]).items():
            target = resource.get("Properties", {}).get("LoggingConfig", {}).get("LogGroup")
            group = target.get("Ref") if isinstance(target, dict) else None
            retention = log_groups.get(group, {}).get("Properties", {}).get("RetentionInDays")
            if retention is None:
                path = ["Resources", name, "Properties", "LoggingConfig"]
                matches.append(RuleMatch(path, f"{name}: no LogGroup with RetentionInDays in LoggingConfig"))
        return matches
