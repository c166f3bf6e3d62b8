"""E9004: every HttpApi route is behind the JWT authorizer, except the health check."""

from typing import Any, ClassVar

from cfnlint.rules import CloudFormationLintRule, RuleMatch

PUBLIC_ROUTES = {("GET", "/health")}


class RoutesRequireAuthorizer(CloudFormationLintRule):
    id = "E9004"
    shortdesc = "HTTP API routes require the JWT authorizer"
    description = "HttpApis set a DefaultAuthorizer and only the health route opts out with Authorizer: NONE."
    source_url = "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html"
    tags: ClassVar[list[str]] = ["apigateway", "security", "project"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, resource in cfn.get_resources(["AWS::Serverless::HttpApi"]).items():
            if not resource.get("Properties", {}).get("Auth", {}).get("DefaultAuthorizer"):
                matches.append(RuleMatch(["Resources", name, "Properties", "Auth"], f"{name}: no DefaultAuthorizer"))
        for name, resource in cfn.get_resources(["AWS::Serverless::Function"]).items():
            for event_name, event in resource.get("Properties", {}).get("Events", {}).items():
                properties = event.get("Properties", {})
                opted_out = properties.get("Auth", {}).get("Authorizer") == "NONE"
                route = (str(properties.get("Method", "")).upper(), properties.get("Path"))
                if event.get("Type") == "HttpApi" and opted_out and route not in PUBLIC_ROUTES:
                    path = ["Resources", name, "Properties", "Events", event_name, "Properties", "Auth"]
                    matches.append(RuleMatch(path, f"{name}: route {route} must not skip the authorizer"))
        return matches
