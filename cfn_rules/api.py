"""E9004: every HttpApi route is behind the JWT authorizer, except the health check.

Read on the SAM HttpApi and its functions' events (template.yaml), and on the OpenAPI body SAM expands them into.
"""

from typing import Any, ClassVar

from cfnlint.rules import CloudFormationLintRule, RuleMatch

PUBLIC_ROUTES = {("GET", "/health")}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "x-amazon-apigateway-any-method"}


def open_routes(body: Any) -> list[tuple[str, str]]:
    """Routes of an expanded API's OpenAPI body whose security is missing, empty or NONE."""
    found = []
    for path, operations in (body.get("paths", {}) if isinstance(body, dict) else {}).items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            security = operation.get("security") or [{"NONE": []}]
            if any("NONE" in requirement for requirement in security):
                found.append((method.upper(), path))
    return found


class RoutesRequireAuthorizer(CloudFormationLintRule):
    id = "E9004"
    shortdesc = "HTTP API routes require the JWT authorizer"
    description = "HttpApis set a DefaultAuthorizer and only the health route opts out with Authorizer: NONE."
    source_url = "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html"
    tags: ClassVar[list[str]] = ["apigateway", "security", "project"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        return self._sam_matches(cfn) + self._expanded_matches(cfn)

    def _sam_matches(self, cfn: Any) -> list[RuleMatch]:
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

    def _expanded_matches(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, resource in cfn.get_resources(["AWS::ApiGatewayV2::Api"]).items():
            for route in open_routes(resource.get("Properties", {}).get("Body")):
                if route not in PUBLIC_ROUTES:
                    path = ["Resources", name, "Properties", "Body", "paths", route[1]]
                    matches.append(RuleMatch(path, f"{name}: route {route} must not skip the authorizer"))
        return matches
