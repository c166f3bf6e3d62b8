"""Typed request parameters shared by several routers; validation and the OpenAPI spec both come from these."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

ItemId = Annotated[str, Path(description="Item id", max_length=64)]
PageLimit = Annotated[int, Query(ge=1, le=100, description="Page size")]
PageCursor = Annotated[str | None, Query(description="nextCursor of the previous page", max_length=512)]
