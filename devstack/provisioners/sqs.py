"""AWS::SQS::Queue: attributes, redrive to a dead-letter queue, visibility timeout scaled by the time scale."""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from devstack.intrinsics import as_text
from devstack.provisioners.context import Context

LOG = logging.getLogger("devstack")
DEFAULT_VISIBILITY_TIMEOUT = 30
_NOT_ATTRIBUTES = {"QueueName", "Tags"}
_UNCHANGEABLE = {"FifoQueue"}  # SetQueueAttributes rejects it on an existing queue


def _attribute(value: Any) -> str:
    return json.dumps(value) if isinstance(value, dict) else as_text(value)


def _attributes(ctx: Context, logical_id: str, properties: dict[str, Any]) -> dict[str, str]:
    attributes = {key: _attribute(value) for key, value in properties.items() if key not in _NOT_ATTRIBUTES}
    if ctx.time_scale != 1.0:
        # Failed messages reappear after the visibility timeout; scaling it lets a poison message reach its
        # dead-letter queue in seconds instead of minutes.
        original = int(properties.get("VisibilityTimeout", DEFAULT_VISIBILITY_TIMEOUT))
        scaled = max(1, math.ceil(original * ctx.time_scale))
        attributes["VisibilityTimeout"] = str(scaled)
        LOG.info("time scale %s: %s VisibilityTimeout %ss -> %ss", ctx.time_scale, logical_id, original, scaled)
    return attributes


def _queue_name(ctx: Context, logical_id: str, properties: dict[str, Any]) -> str:
    name = ctx.physical_name(logical_id, properties.get("QueueName"))
    fifo = as_text(properties.get("FifoQueue", False)).lower() == "true"
    return f"{name}.fifo" if fifo and not name.endswith(".fifo") else name


def create_queue(ctx: Context, logical_id: str, properties: dict[str, Any]) -> None:
    name = _queue_name(ctx, logical_id, properties)
    attributes = _attributes(ctx, logical_id, properties)
    client = ctx.sqs
    try:
        url = client.get_queue_url(QueueName=name)["QueueUrl"]
    except client.exceptions.QueueDoesNotExist:
        tags = {tag["Key"]: tag["Value"] for tag in properties.get("Tags", [])}
        url = client.create_queue(QueueName=name, Attributes=attributes, tags=tags)["QueueUrl"]  # type: ignore[arg-type]
    else:  # a restart against a running endpoint keeps the messages and applies the template's settings
        changeable = {key: value for key, value in attributes.items() if key not in _UNCHANGEABLE}
        client.set_queue_attributes(QueueUrl=url, Attributes=changeable)  # type: ignore[arg-type]
    ctx.names.set_resource(logical_id, url, Arn=ctx.arn("sqs", name), QueueName=name, QueueUrl=url)
