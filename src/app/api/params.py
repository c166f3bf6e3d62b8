"""Typed request parameters shared by several routers; validation and the OpenAPI spec both come from these.

Ids and cursors carry no length or pattern limit on purpose: any string is answered by the rule it breaks (an id
that cannot exist is 404 NOT_FOUND, a cursor that was not issued is 400 INVALID_CURSOR), not by a generic 422.
"""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

ItemId = Annotated[str, Path(description="Item id (26-character ULID); any other value is 404")]
JobId = Annotated[str, Path(description="Job id (26-character ULID); any other value is 404")]
PageLimit = Annotated[int, Query(ge=1, le=100, description="Page size")]
PageCursor = Annotated[
    str | None, Query(description="nextCursor of the previous page; anything else is 400 INVALID_CURSOR")
]
