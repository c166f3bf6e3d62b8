"""What a hostile client sends, through the real handler: every answer is a documented 4xx, never a 5xx.

Each reproduction of issue 8 is here at the handler tier; tests/e2e/test_hostile_e2e.py sends the same over HTTP
through the local gateway (base64 bodies, header joining), and tests/unit/api/test_admission.py and
tests/unit/domain/test_preconditions.py hold the parsing rules themselves.
"""

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.apigw import json_body

Call = Callable[..., dict[str, Any]]
ITEM = json.dumps({"name": "Lamp", "price": 12.5})


def error_of(response: dict[str, Any]) -> tuple[int, str]:
    return response["statusCode"], json_body(response)["error"]["code"]


def create(call: Call) -> dict[str, Any]:
    response = call("POST", "/items", raw_body=ITEM)
    assert response["statusCode"] == 201, response
    return dict(json_body(response))


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/xml",
        "application/octet-stream",
        "multipart/form-data; boundary=b",
        "application/x-www-form-urlencoded",
        "application/json; charset=iso-8859-1",
    ],
)
@pytest.mark.parametrize(("method", "path"), [("POST", "/items"), ("PUT", "/items/01JAAAAAAAAAAAAAAAAAAAAAAA")])
def test_bodies_that_are_not_json_are_415(call: Call, method: str, path: str, content_type: str) -> None:
    response = call(method, path, raw_body=ITEM, headers={"content-type": content_type, "if-match": '"1"'})

    assert error_of(response) == (415, "UNSUPPORTED_MEDIA_TYPE")


def test_a_multipart_form_with_a_name_field_creates_nothing(call: Call) -> None:
    form = '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nLamp\r\n--b--\r\n'
    response = call("POST", "/items", raw_body=form, headers={"content-type": "multipart/form-data; boundary=b"})

    assert error_of(response) == (415, "UNSUPPORTED_MEDIA_TYPE")
    assert json_body(call("GET", "/items"))["items"] == []


@pytest.mark.parametrize(
    "content_type", ["APPLICATION/JSON", "application/vnd.api+json", "Application/Json; Charset=UTF-8"]
)
def test_json_media_type_variants_are_accepted(call: Call, content_type: str) -> None:
    response = call("POST", "/items", raw_body=ITEM, headers={"content-type": content_type})

    assert response["statusCode"] == 201


@pytest.mark.parametrize("content_type", ["application/octet-stream", "application/x-www-form-urlencoded"])
def test_ten_mib_of_any_type_is_413(call: Call, content_type: str) -> None:
    body = base64.b64encode(b"\x00" * (10 * 1024 * 1024)).decode()
    response = call("POST", "/items", raw_body=body, base64_body=True, headers={"content-type": content_type})

    assert error_of(response) == (413, "PAYLOAD_TOO_LARGE")


@pytest.mark.parametrize("base64_body", [False, True])
def test_a_body_that_is_not_utf8_is_400(call: Call, base64_body: bool) -> None:
    raw = b'{"name": "\xff\xfe"}'
    body = base64.b64encode(raw).decode() if base64_body else raw.decode("utf-8", "surrogateescape")

    response = call("POST", "/items", raw_body=body, base64_body=base64_body)

    assert error_of(response) == (400, "MALFORMED_JSON")


@pytest.mark.parametrize(
    "body",
    [
        "[" * 30_000 + "]" * 30_000,
        '{"name": "a", "price": ' + "9" * 4400 + "}",
        '{"name": "a", "price": NaN}',
    ],
    ids=["30000-levels", "4400-digits", "nan"],
)
def test_json_beyond_the_parser_limits_is_400(call: Call, body: str) -> None:
    assert error_of(call("POST", "/items", raw_body=body)) == (400, "MALFORMED_JSON")


@pytest.mark.parametrize("price", ["1" + "0" * 30, "12345678901234.5", "1e400", "0.001"])
def test_numbers_within_the_parser_limits_but_not_prices_are_422_on_the_field(call: Call, price: str) -> None:
    response = call("POST", "/items", raw_body='{"name": "a", "price": ' + price + "}")

    assert error_of(response) == (422, "VALIDATION_ERROR")
    assert [field["field"] for field in json_body(response)["error"]["fields"]] == ["body.price"]


@pytest.mark.parametrize(
    "if_match",
    ['"' + "1" * 39 + '"', '"' + "1" * 4301 + '"', '"²"', '"٣"', 'W/"1"', '"01"', "1", "garbage", '"1" "2"', ""],
)
def test_if_match_that_names_no_current_etag_is_412(call: Call, if_match: str) -> None:
    item = create(call)

    for method in ("PUT", "DELETE"):
        response = call(method, f"/items/{item['id']}", raw_body=ITEM, headers={"if-match": if_match})
        assert error_of(response) == (412, "PRECONDITION_FAILED")
    assert json_body(call("GET", f"/items/{item['id']}"))["version"] == 1


@pytest.mark.parametrize("if_match", ["*", '"1"', '"7", "1"', 'W/"1", "1"', '"a,b" , "1"'])
def test_if_match_star_or_a_list_with_the_current_etag_matches(call: Call, if_match: str) -> None:
    item = create(call)

    replaced = call("PUT", f"/items/{item['id']}", raw_body=ITEM, headers={"if-match": if_match})
    deleted = call("DELETE", f"/items/{item['id']}", headers={"if-match": if_match.replace('"1"', '"2"')})

    assert (replaced["statusCode"], replaced["headers"]["ETag"]) == (200, '"2"')
    assert deleted["statusCode"] == 204


def test_if_match_on_a_missing_item_is_404(call: Call) -> None:
    for if_match in ("*", '"1"', '"1", "2"', "garbage"):
        response = call("PUT", "/items/01JAAAAAAAAAAAAAAAAAAAAAAA", raw_body=ITEM, headers={"if-match": if_match})
        assert error_of(response) == (404, "NOT_FOUND")


@pytest.mark.parametrize(
    "path",
    ["/items/" + "A" * 5000, "/imports/" + "A" * 5000, "/exports/" + "A" * 5000, "/items/" + "A" * 5000 + "/history"],
)
def test_an_id_of_any_length_is_404(call: Call, path: str) -> None:
    assert error_of(call("GET", path)) == (404, "NOT_FOUND")


@pytest.mark.parametrize("path", ["/items", "/items/01JAAAAAAAAAAAAAAAAAAAAAAA/history"])
@pytest.mark.parametrize("cursor", ["A" * 513, "A" * 5000, "é.é", "\x00", "a.b"])
def test_a_malformed_or_over_long_cursor_is_400(call: Call, path: str, cursor: str) -> None:
    assert error_of(call("GET", path, query={"cursor": cursor})) == (400, "INVALID_CURSOR")


@pytest.mark.parametrize("limit", ["1" * 5000, "-1", "1.5", "", "²"])
def test_a_limit_that_is_not_a_page_size_is_422(call: Call, limit: str) -> None:
    assert error_of(call("GET", "/items", query={"limit": limit})) == (422, "VALIDATION_ERROR")


def test_an_idempotency_key_of_any_length_is_answered(call: Call) -> None:
    too_long = call("POST", "/items", raw_body=ITEM, headers={"idempotency-key": "k" * 5000})
    unicode = call("POST", "/items", raw_body=ITEM, headers={"idempotency-key": "ключ-²-\u200b"})

    assert error_of(too_long) == (422, "VALIDATION_ERROR")
    assert unicode["statusCode"] == 201


_ROUTES = [
    ("GET", "/items"),
    ("POST", "/items"),
    ("GET", "/items/01JAAAAAAAAAAAAAAAAAAAAAAA"),
    ("PUT", "/items/01JAAAAAAAAAAAAAAAAAAAAAAA"),
    ("DELETE", "/items/01JAAAAAAAAAAAAAAAAAAAAAAA"),
    ("GET", "/items/01JAAAAAAAAAAAAAAAAAAAAAAA/history"),
    ("POST", "/imports"),
    ("GET", "/imports/01JAAAAAAAAAAAAAAAAAAAAAAA"),
    ("POST", "/exports"),
    ("GET", "/exports/01JAAAAAAAAAAAAAAAAAAAAAAA"),
    ("GET", "/health"),
]
_HEADER_NAMES = st.sampled_from(["content-type", "if-match", "idempotency-key", "x-anything"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=st.sampled_from(_ROUTES),
    body=st.one_of(st.none(), st.text(max_size=300), st.binary(max_size=300)),
    headers=st.dictionaries(_HEADER_NAMES, st.text(max_size=60), max_size=4),
    query=st.dictionaries(st.sampled_from(["limit", "cursor", "x"]), st.text(max_size=60), max_size=3),
)
def test_no_request_gets_a_5xx(
    call: Call, route: tuple[str, str], body: str | bytes | None, headers: dict[str, str], query: dict[str, str]
) -> None:
    method, path = route
    is_binary = isinstance(body, bytes)
    raw = base64.b64encode(body).decode() if isinstance(body, bytes) else body

    response = call(method, path, raw_body=raw, base64_body=is_binary, headers=headers, query=query)

    assert response["statusCode"] < 500, response
