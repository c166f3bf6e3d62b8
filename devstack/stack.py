"""Wires the template's functions, HTTP APIs and event sources to the provisioned names: no list of its own."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import boto3

from devstack.authorizer import JwtAuthorizer
from devstack.cors import Cors
from devstack.gateway import ApiConfig, Gateway
from devstack.pollers.base import Poller
from devstack.pollers.sqs import SqsPoller, SqsSource
from devstack.pollers.streams import StreamPoller, StreamSource
from devstack.routing import Router
from devstack.runtime import FunctionRuntime, runtime_variables
from devstack.sam import Event
from devstack.template import Template

LOG = logging.getLogger("devstack")
_REPORT_FAILURES = "ReportBatchItemFailures"


def function_runtimes(template: Template, names: Mapping[str, str], region: str) -> dict[str, FunctionRuntime]:
    runtimes = {}
    for logical_id, function in template.functions().items():
        name = names.get(logical_id, logical_id)
        logging_config = template.resolve(function.properties.get("LoggingConfig", {}), names)
        log_group = str(logging_config.get("LogGroup", f"/aws/lambda/{name}"))
        environment = {
            **runtime_variables(function, name, region, log_group),
            **template.function_environment(logical_id, names),
        }
        arn = names.get(f"{logical_id}.Arn", name)
        runtimes[logical_id] = FunctionRuntime(function, name=name, arn=arn, environment=environment)
    return runtimes


def http_gateway(
    template: Template, names: Mapping[str, str], runtimes: Mapping[str, FunctionRuntime], endpoint: str
) -> Gateway:
    apis = {}
    for logical_id, api in template.http_apis().items():
        authorizers = {
            name: JwtAuthorizer.from_configuration(template.resolve(authorizer, names), endpoint)
            for name, authorizer in api.authorizers.items()
        }
        cors = Cors.from_configuration(template.resolve(api.cors, names))
        apis[logical_id] = ApiConfig(
            api_id=names.get(logical_id, logical_id.lower()), cors=cors, authorizers=authorizers
        )
    return Gateway(Router(template.routes()), runtimes, apis)


@dataclass(frozen=True)
class PollerFactory:
    names: Mapping[str, str]
    session: boto3.session.Session
    stop: threading.Event
    time_scale: float

    def _queue_url(self, arn: str) -> str:
        owner = next((key for key, value in self.names.items() if value == arn and key.endswith(".Arn")), None)
        if owner is not None:
            return self.names[owner.removesuffix(".Arn")]
        return str(self.session.client("sqs").get_queue_url(QueueName=arn.split(":")[5])["QueueUrl"])

    def sqs(self, runtime: FunctionRuntime, properties: dict[str, Any]) -> Poller:
        source = SqsSource(
            queue_url=self._queue_url(properties["Queue"]),
            queue_arn=properties["Queue"],
            batch_size=int(properties.get("BatchSize", 10)),
            batching_window=float(properties.get("MaximumBatchingWindowInSeconds", 0)) * self.time_scale,
            report_failures=_REPORT_FAILURES in properties.get("FunctionResponseTypes", []),
        )
        return SqsPoller(source, runtime, self.session.client("sqs"), self.stop)

    def dynamodb(self, runtime: FunctionRuntime, properties: dict[str, Any]) -> Poller:
        on_failure = properties.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
        source = StreamSource(
            stream_arn=properties["Stream"],
            batch_size=int(properties.get("BatchSize", 100)),
            starting_position=str(properties.get("StartingPosition", "LATEST")),
            max_retries=int(properties.get("MaximumRetryAttempts", -1)),
            bisect=str(properties.get("BisectBatchOnFunctionError", False)).lower() == "true",
            report_failures=_REPORT_FAILURES in properties.get("FunctionResponseTypes", []),
            on_failure=on_failure,
            max_record_age=int(properties.get("MaximumRecordAgeInSeconds", -1)),
        )
        clients = {"dynamodbstreams": self.session.client("dynamodbstreams"), "sqs": self.session.client("sqs")}
        return StreamPoller(source, runtime, clients, self.stop)

    def for_event(self, runtime: FunctionRuntime, event: Event, properties: dict[str, Any]) -> Poller | None:
        if str(properties.get("Enabled", True)).lower() == "false":
            return None
        if event.type == "SQS":
            return self.sqs(runtime, properties)
        if event.type == "DynamoDB":
            return self.dynamodb(runtime, properties)
        LOG.warning("%s event %s (%s) is not emulated locally", runtime.logical_id, event.name, event.type)
        return None


def mapping_events(template: Template, names: Mapping[str, str]) -> list[tuple[str, Event]]:
    """AWS::Lambda::EventSourceMapping resources as the SAM events they stand for: (function id, event).

    Templates declare mappings themselves when the function's role must name its queue or stream (SAM's SQS and
    DynamoDB events attach AWS-managed policies that allow every queue and stream of the account).
    """
    events = []
    for logical_id, raw in template.resources_of_type("AWS::Lambda::EventSourceMapping").items():
        function = raw.get("FunctionName")
        properties = template.resolve(raw, names)
        source = str(properties.get("EventSourceArn", ""))
        kind, key = ("SQS", "Queue") if source.startswith("arn:aws:sqs:") else ("DynamoDB", "Stream")
        if isinstance(function, dict) and "Ref" in function:
            # `!Ref Function.Alias` (SAM, with AutoPublishAlias) invokes that function's alias: here, the function.
            function_id = str(function["Ref"]).split(".")[0]
            events.append((function_id, Event(logical_id, kind, properties | {key: source})))
        else:
            LOG.warning("%s: FunctionName must be a Ref to a function of the template; not emulated", logical_id)
    return events


def event_pollers(template: Template, runtimes: Mapping[str, FunctionRuntime], factory: PollerFactory) -> list[Poller]:
    sources = [
        (logical_id, event)
        for logical_id, function in template.functions().items()
        for event in function.events
        if event.type != "HttpApi"
    ]
    pollers = []
    for logical_id, event in [*sources, *mapping_events(template, factory.names)]:
        poller = factory.for_event(runtimes[logical_id], event, template.resolve(event.properties, factory.names))
        if poller is not None:
            pollers.append(poller)
    return pollers
