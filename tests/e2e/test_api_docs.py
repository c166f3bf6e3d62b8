"""Swagger UI of the local stack: /docs and /openapi.json without a token, from local assets, and an item created
through the page in a headless Chromium with a `make token` token."""

import json
import re
import uuid
from collections.abc import Callable

import pytest
import requests

from tests.e2e.browser import find_browser, headless_page
from tests.e2e.localstack import REPO_ROOT, Stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


def test_the_docs_page_and_the_spec_need_no_token_and_no_network(stack: Stack) -> None:
    page = requests.get(f"{stack.base_url}/docs", timeout=10)
    spec = requests.get(f"{stack.base_url}/openapi.json", timeout=10)

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert re.findall(r"""(?:src|href)="(https?:)?//""", page.text) == []  # nothing from a CDN
    for asset in re.findall(r"""(?:src|href)="(/docs/[^"]+)\"""", page.text):
        assert requests.get(f"{stack.base_url}{asset}", timeout=10).status_code == 200, asset
    assert spec.status_code == 200
    assert spec.json() == json.loads((REPO_ROOT / "openapi.json").read_text())


def test_the_api_itself_still_needs_a_token_and_other_docs_paths_are_the_gateway_s(stack: Stack) -> None:
    assert requests.get(f"{stack.base_url}/items", timeout=10).status_code == 401
    assert requests.get(f"{stack.base_url}/docs/../template.yaml", timeout=10).status_code == 404
    assert requests.post(f"{stack.base_url}/openapi.json", timeout=10).status_code == 404


# Swagger UI's own markup; each step waits for the element the previous one makes appear.
# React owns the inputs: set the value through the element's prototype, then tell React with an input event.
SET_VALUE = """(selector, value) => {
  const element = document.querySelector(selector);
  if (!element) return false;
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(element), "value").set.call(element, value);
  element.dispatchEvent(new Event("input", { bubbles: true }));
  return true;
}"""


def set_value(selector: str, value: str) -> str:
    return f"({SET_VALUE})({json.dumps(selector)}, {json.dumps(value)})"


def click(selector: str) -> str:
    return f"(e => e ? (e.click(), true) : false)(document.querySelector({json.dumps(selector)}))"


POST_ITEMS = '.opblock-post:has(.opblock-summary-path[data-path="/items"])'
STATUS = f"{POST_ITEMS} .live-responses-table tr.response .response-col_status"


def test_an_item_is_created_through_the_swagger_page(stack: Stack, token_for: Callable[[str], str]) -> None:
    browser = find_browser()
    if browser is None:
        pytest.skip("no Chromium here (apt-get install chromium, or `make browser` as root): browser test skipped")
    token = token_for("swagger")
    name = f"made in the docs {uuid.uuid4().hex[:8]}"

    with headless_page(browser) as page:
        # Given the docs page, authorised with a token of `make token`
        page.open(f"{stack.base_url}/docs")
        page.wait_for(click("button.btn.authorize"))
        page.wait_for(set_value(".auth-container input", token))
        page.wait_for(click(".auth-btn-wrapper button.authorize"))
        page.wait_for(click(".auth-btn-wrapper button.btn-done"))
        # When POST /items is tried out with a body and executed
        page.wait_for(click(f"{POST_ITEMS} .opblock-summary-control"))
        page.wait_for(click(f"{POST_ITEMS} .try-out__btn"))
        page.wait_for(set_value(f"{POST_ITEMS} textarea.body-param__text", json.dumps({"name": name, "price": 3.5})))
        page.wait_for(click(f"{POST_ITEMS} .btn.execute"))
        status = page.wait_for(f"document.querySelector('{STATUS}')?.textContent.trim()")

    # Then the page shows 201 and the item exists for that token's owner
    assert status.startswith("201"), status
    listed = requests.get(f"{stack.base_url}/items", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert [item["name"] for item in listed.json()["items"]] == [name]
