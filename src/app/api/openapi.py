"""Writes the OpenAPI spec generated from the routes: `python -m app.api.openapi openapi.json`."""

import sys
from pathlib import Path


def openapi_json() -> str:
    from app.api.resolver import app

    return app.get_openapi_json_schema() + "\n"


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(openapi_json())
