"""The admission step every request passes before routing: body size, media type, encoding and JSON limits.

Past this step the body is UTF-8 text of at most MAX_BODY_BYTES that parses as JSON within MAX_DEPTH levels and
numbers of at most MAX_NUMBER_CHARS characters, and its Content-Type reads `application/json`, so neither
Powertools nor pydantic can fail on what a client sent. Only the standard library is imported (cold start).
"""

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from app.domain.errors import MalformedRequestError, PayloadTooLargeError, UnsupportedMediaTypeError

MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 32
# Longer than any number the API accepts, far below Python's 4300-digit int conversion limit.
MAX_NUMBER_CHARS = 100
_MAX_BASE64_CHARS = 4 * -(-MAX_BODY_BYTES // 3)


def is_json_media_type(content_type: str) -> bool:
    """application/json or application/<anything>+json, any case, with no charset or a UTF-8 one."""
    media_type, *parameters = content_type.split(";")
    kind = media_type.strip(" \t").lower()
    if kind != "application/json" and not (kind.startswith("application/") and kind.endswith("+json")):
        return False
    if kind == "application/+json":
        return False
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip(" \t").lower() == "charset" and value.strip(" \t").strip('"').lower() != "utf-8":
            return False
    return True


def _checked_length(text: str) -> str:
    if len(text) > MAX_NUMBER_CHARS:
        raise MalformedRequestError(f"The request body has a number longer than {MAX_NUMBER_CHARS} characters.")
    return text


def _integer(text: str) -> int:
    return int(_checked_length(text))


def _real(text: str) -> float:
    return float(_checked_length(text))


def _no_constant(text: str) -> None:
    raise MalformedRequestError(f"{text} is not a JSON number.")


def _check_depth(document: Any) -> None:
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list) and depth > MAX_DEPTH:
            raise MalformedRequestError(f"The request body nests deeper than {MAX_DEPTH} levels.")
        if isinstance(value, dict):
            pending.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            pending.extend((child, depth + 1) for child in value)


# One decoder for all requests: json.loads with hooks would build a new one (and its scanner) on every call.
_DECODER = json.JSONDecoder(parse_int=_integer, parse_float=_real, parse_constant=_no_constant)


def parse_json(text: str) -> Any:
    """JSON within the limits, or MalformedRequestError. Also the resolver's parser, so routes see the same."""
    try:
        document = _DECODER.decode(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise MalformedRequestError() from error
    # Fewer brackets than the limit cannot nest deeper (brackets inside strings only add to the count): the walk
    # is for the rare body that has many.
    if text.count("[") + text.count("{") > MAX_DEPTH:
        _check_depth(document)
    return document


def _body_bytes(event: Mapping[str, Any]) -> bytes:
    body = event.get("body") or ""
    if not event.get("isBase64Encoded"):
        if len(body) > MAX_BODY_BYTES:  # every character is at least one byte: no need to encode
            raise PayloadTooLargeError(f"The request body exceeds {MAX_BODY_BYTES} bytes.")
        # surrogatepass: a lone surrogate must reach the UTF-8 check below, not raise here.
        return str(body).encode("utf-8", "surrogatepass")
    if len(body) > _MAX_BASE64_CHARS:
        raise PayloadTooLargeError(f"The request body exceeds {MAX_BODY_BYTES} bytes.")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as error:
        raise MalformedRequestError("The request body is not valid base64.") from error


def _without_content_type(headers: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in headers.items() if name != "content-type"}


def _with_lower_case_names(event: Mapping[str, Any]) -> Mapping[str, Any]:
    """HTTP API lower-cases header names; `sam local start-api` passes them as the client spelled them."""
    headers: Mapping[str, Any] = event.get("headers") or {}
    if all(name == name.lower() for name in headers):
        return event
    return {**event, "headers": {name.lower(): value for name, value in headers.items()}}


def admit(event: Mapping[str, Any]) -> Mapping[str, Any]:
    """The event to route, its body admitted UTF-8 JSON text labelled application/json, or a DomainError.

    Header names are lower case, as API Gateway delivers them in payload format 2.0 (sam local does not).
    """
    event = _with_lower_case_names(event)
    headers: Mapping[str, Any] = event.get("headers") or {}
    if not event.get("body"):
        # Nothing for a Content-Type to describe: routes that need a body see none (422), whatever the label.
        return event if "content-type" not in headers else {**event, "headers": _without_content_type(headers)}
    raw = _body_bytes(event)
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLargeError(f"The request body exceeds {MAX_BODY_BYTES} bytes.")
    if not is_json_media_type(str(headers.get("content-type", ""))):
        raise UnsupportedMediaTypeError()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedRequestError("The request body is not valid UTF-8.") from error
    parse_json(text)
    admitted_headers = {**headers, "content-type": "application/json"}
    return {**event, "body": text, "isBase64Encoded": False, "headers": admitted_headers}
