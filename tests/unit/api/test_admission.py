"""The admission rules on their own: media types, size, encoding, JSON limits."""

import base64
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.api.admission import MAX_BODY_BYTES, MAX_DEPTH, MAX_NUMBER_CHARS, admit, is_json_media_type, parse_json
from app.domain.errors import MalformedRequestError, PayloadTooLargeError, UnsupportedMediaTypeError


def event(
    body: str | None, content_type: str | None = "application/json", *, base64_body: bool = False
) -> dict[str, Any]:
    headers = {} if content_type is None else {"content-type": content_type}
    return {"headers": headers, "body": body, "isBase64Encoded": base64_body}


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "APPLICATION/JSON",
        "Application/Json; charset=UTF-8",
        "application/json;charset=utf-8",
        'application/json; charset="utf-8"',
        "application/vnd.api+json",
        "application/merge-patch+json; charset=utf-8",
        " application/json ",
    ],
)
def test_json_media_types_are_admitted(content_type: str) -> None:
    assert is_json_media_type(content_type)


@pytest.mark.parametrize(
    "content_type",
    [
        "",
        "text/plain",
        "text/json",
        "application/xml",
        "application/octet-stream",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin-1",
        "application/jsonx",
        "application/+json",
        "json",
        "application/json\x00",
    ],
)
def test_other_media_types_are_refused(content_type: str) -> None:
    assert not is_json_media_type(content_type)


def test_an_event_without_a_body_passes_without_a_content_type() -> None:
    original = event(None, None)

    assert admit(original) is original
    assert admit(event("", "text/plain"))["headers"] == {}


def test_header_names_are_lower_cased_as_http_api_does() -> None:
    # sam local start-api passes header names as sent (Content-Type, If-Match); HTTP API lower-cases them.
    sent = {"headers": {"Content-Type": "application/json", "If-Match": '"1"'}, "body": "{}", "isBase64Encoded": False}

    admitted = admit(sent)

    assert admitted["headers"] == {"content-type": "application/json", "if-match": '"1"'}


def test_an_admitted_body_reaches_the_routes_as_json_text() -> None:
    encoded = base64.b64encode('{"name": "Été"}'.encode()).decode()

    admitted = admit(event(encoded, "Application/Vnd.Api+Json; charset=UTF-8", base64_body=True))

    assert admitted["body"] == '{"name": "Été"}'
    assert admitted["isBase64Encoded"] is False
    assert admitted["headers"]["content-type"] == "application/json"


@pytest.mark.parametrize("base64_body", [False, True])
@pytest.mark.parametrize("content_type", ["application/json", "application/octet-stream", None])
def test_size_is_checked_first_whatever_the_media_type(content_type: str | None, base64_body: bool) -> None:
    raw = b"x" * (MAX_BODY_BYTES + 1)
    body = base64.b64encode(raw).decode() if base64_body else raw.decode()

    with pytest.raises(PayloadTooLargeError):
        admit(event(body, content_type, base64_body=base64_body))


def test_size_counts_bytes_not_characters() -> None:
    two_byte_chars = "é" * (MAX_BODY_BYTES // 2 + 1)

    with pytest.raises(PayloadTooLargeError):
        admit(event(json.dumps(two_byte_chars, ensure_ascii=False)))


def test_a_body_at_the_limit_is_admitted() -> None:
    body = json.dumps("a" * (MAX_BODY_BYTES - 2))

    assert admit(event(body))["body"] == body


@pytest.mark.parametrize("content_type", ["text/plain", None, "multipart/form-data; boundary=b"])
def test_a_body_of_another_media_type_is_refused(content_type: str | None) -> None:
    with pytest.raises(UnsupportedMediaTypeError):
        admit(event('{"name": "a"}', content_type))


@pytest.mark.parametrize(
    ("body", "base64_body"),
    [
        (base64.b64encode(b'{"name": "\xff\xfe"}').decode(), True),  # not UTF-8
        (base64.b64encode(b'{"name": "\xed\xa0\x80"}').decode(), True),  # an encoded surrogate is not UTF-8
        ('{"name": "\ud800"}', False),  # a lone surrogate in a text body
        ("not base64!", True),
    ],
)
def test_bodies_that_are_not_utf8_are_malformed(body: str, base64_body: bool) -> None:
    with pytest.raises(MalformedRequestError):
        admit(event(body, base64_body=base64_body))


@pytest.mark.parametrize(
    "text",
    [
        "{",
        "",
        "\ufeff{}",  # a byte order mark
        '{"price": NaN}',
        '{"price": Infinity}',
        '{"price": -Infinity}',
        "[" * 30_000 + "]" * 30_000,  # issue 8: 500 (RecursionError)
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        '{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1),
        '{"price": ' + "9" * 4400 + "}",  # issue 8: 500 (int conversion limit)
        '{"price": 1.' + "5" * MAX_NUMBER_CHARS + "}",
        '{"price": 1e' + "9" * MAX_NUMBER_CHARS + "}",
    ],
)
def test_json_beyond_the_limits_is_malformed(text: str) -> None:
    with pytest.raises(MalformedRequestError):
        parse_json(text)
    with pytest.raises(MalformedRequestError):
        admit(event(text or " "))


def test_json_within_the_limits_parses() -> None:
    nested = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    long_number = "1" * MAX_NUMBER_CHARS

    assert parse_json('{"price": 12.5, "tags": ["a"]}') == {"price": 12.5, "tags": ["a"]}
    assert parse_json(nested) is not None
    assert parse_json(long_number) == int(long_number)


@settings(max_examples=300)
@given(body=st.binary(max_size=512), content_type=st.text(max_size=40), base64_body=st.booleans())
def test_any_body_is_admitted_or_refused_with_a_domain_error(body: bytes, content_type: str, base64_body: bool) -> None:
    text = base64.b64encode(body).decode() if base64_body else body.decode("utf-8", "surrogateescape")
    try:
        admitted = admit(event(text, content_type, base64_body=base64_body))
    except (MalformedRequestError, UnsupportedMediaTypeError, PayloadTooLargeError):
        return
    if admitted.get("body"):
        parse_json(admitted["body"])  # what routes will parse cannot fail any more
