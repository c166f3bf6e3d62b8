"""The local Swagger UI in front of the gateway: its paths are served here, every other request goes through."""

import re
from pathlib import Path
from typing import Any

from werkzeug.test import Client

from devstack.apidocs.swagger import ApiDocs


def gateway(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("401 Unauthorized", [("content-type", "application/json")])
    return [b'{"message":"Unauthorized"}']


def client(tmp_path: Path, spec: str | None = '{"openapi": "3.1.0"}') -> Client:
    if spec is not None:
        (tmp_path / "openapi.json").write_text(spec)
    return Client(ApiDocs(gateway, tmp_path / "openapi.json"))


def test_the_page_loads_only_local_assets(tmp_path: Path) -> None:
    page = client(tmp_path).get("/docs")

    assert page.status_code == 200
    assert "http" not in page.text
    assert {link.split("/")[1] for link in re.findall(r'(?:src|href)="([^"]+)"', page.text)} == {"docs"}
    assert client(tmp_path).get("/docs/swagger-ui-bundle.js").status_code == 200
    assert client(tmp_path).get("/docs/init.js").text.startswith("window.ui = SwaggerUIBundle(")


def test_the_spec_is_the_file_next_to_the_template(tmp_path: Path) -> None:
    assert client(tmp_path).get("/openapi.json").json == {"openapi": "3.1.0"}
    assert client(tmp_path / "x", spec=None).get("/openapi.json").status_code == 404


def test_everything_else_reaches_the_gateway(tmp_path: Path) -> None:
    docs = client(tmp_path)

    assert docs.get("/items").status_code == 401
    assert docs.post("/openapi.json").status_code == 401
    assert docs.get("/docs/../../template.yaml").status_code == 401
    assert docs.get("/docs/index.j2").status_code == 401  # files of the package the page does not load
