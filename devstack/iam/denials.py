"""AccessDenied answered as each service answers it, so that the SDK raises the error code AWS would send."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from devstack.iam.calls import Request


def _xml_s3(message: str, request_id: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
        f"<Message>{escape(message)}</Message><RequestId>{request_id}</RequestId></Error>"
    ).encode()


def _xml_query(message: str, request_id: str) -> bytes:
    return (
        '<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>'
        f"<Message>{escape(message)}</Message><Detail/></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    ).encode()


def denial_response(request: Request, start_response: Any, message: str) -> Iterable[bytes]:
    request_id = str(uuid.uuid4())
    headers = [("x-amzn-RequestId", request_id)]
    if request.service == "s3":
        body, status = _xml_s3(message, request_id), "403 Forbidden"
        headers.append(("Content-Type", "application/xml"))
    elif not request.headers.get("x-amz-target"):  # a query protocol (SQS's older one)
        body, status = _xml_query(message, request_id), "403 Forbidden"
        headers.append(("Content-Type", "text/xml"))
    else:
        code = "AccessDenied" if request.service == "sqs" else "AccessDeniedException"
        body = json.dumps({"__type": f"com.amazon.coral.service#{code}", "message": message}).encode()
        status = "400 Bad Request"
        headers += [("Content-Type", "application/x-amz-json-1.0"), ("x-amzn-ErrorType", code)]
        if request.service == "sqs":
            headers.append(("x-amzn-query-error", "AccessDenied;Sender"))
    headers.append(("Content-Length", str(len(body))))
    start_response(status, headers)
    return [body]
