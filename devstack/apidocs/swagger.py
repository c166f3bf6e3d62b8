"""Swagger UI at /docs and the spec at /openapi.json, in front of the local gateway, without the JWT authorizer.

The page and the spec are documentation, public on a developer's machine; every API call the page makes still goes
through the gateway and its authorizer with the bearer token given to the page's Authorize button (`make token`).
The assets are those of the swagger-ui-bundle-v2 dev dependency, served from the installed package: no CDN, so the
page works offline. Only the local stack serves these paths; a deployed HTTP API has no /docs route.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]
from werkzeug.wrappers import Request, Response

DOCS = "/docs"
SPEC = "/openapi.json"
# The files of the bundle the page loads; nothing else of the package is reachable.
ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png", "favicon-16x16.png")

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>API docs (local stack)</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
"""

# persistAuthorization keeps the token across reloads (in the browser's local storage, on this machine only).
INIT = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
"""


class ApiDocs:
    """WSGI middleware: GET/HEAD /docs, /docs/<asset> and /openapi.json here, everything else to the gateway."""

    def __init__(self, app: Any, spec: Path) -> None:
        self.app = app
        self.spec = spec
        self.assets = Path(str(swagger_ui_path))

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.respond(request.path) if request.method in ("GET", "HEAD") else None
        if response is None:
            return self.app(environ, start_response)  # type: ignore[no-any-return]
        return response(environ, start_response)

    def respond(self, path: str) -> Response | None:
        if path in (DOCS, f"{DOCS}/"):
            return Response(PAGE, content_type="text/html; charset=utf-8")
        if path == f"{DOCS}/init.js":
            return Response(INIT, content_type="text/javascript; charset=utf-8")
        if path == SPEC:
            if not self.spec.is_file():
                return Response(f"{self.spec.name} not found next to the template: make openapi", status=404)
            return Response(self.spec.read_bytes(), content_type="application/json")
        name = path.removeprefix(f"{DOCS}/")
        if path.startswith(f"{DOCS}/") and name in ASSETS:
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return Response((self.assets / name).read_bytes(), content_type=content_type)
        return None
