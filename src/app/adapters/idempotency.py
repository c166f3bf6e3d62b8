"""Idempotent item creation with Powertools Idempotency, records kept in their own DynamoDB table.

The idempotency key is the pair (owner, Idempotency-Key header), so two owners can use the same key; the
payload hash covers the request body, so reusing a key with another body is refused. Powertools is loaded
by the first request that carries a key: the read and health functions share this code and never need it.
"""

from collections.abc import Callable
from functools import cached_property
from typing import Any

from app.domain.errors import DependencyUnavailableError, IdempotencyKeyReusedError, RequestInProgressError
from app.models.items import ItemCreate, ItemPublic

REPLAY_WINDOW_SECONDS = 24 * 60 * 60

CreateItem = Callable[..., ItemPublic]


class IdempotentCreates:
    def __init__(self, *, client: Any, table_name: str, create_item: CreateItem) -> None:
        self._client = client
        self._table_name = table_name
        self._create_item = create_item
        self._lambda_context: Any = None

    @cached_property
    def _powertools(self) -> tuple[Any, Callable[..., ItemPublic]]:
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            IdempotencyConfig,
            idempotent_function,
        )
        from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer

        config = IdempotencyConfig(
            event_key_jmespath="[owner, key]",
            payload_validation_jmespath="item",
            expires_after_seconds=REPLAY_WINDOW_SECONDS,
        )
        once = idempotent_function(
            data_keyword_argument="request",
            persistence_store=DynamoDBPersistenceLayer(
                table_name=self._table_name,
                boto3_client=_RecognisingOwnPuts(self._client),  # type: ignore[arg-type]
            ),
            config=config,
            output_serializer=PydanticSerializer(ItemPublic),
            # Stable across function names and refactors: renaming code must not reset stored keys.
            key_prefix="items.create",
        )(self._create)
        return config, once

    def register_lambda_context(self, context: Any) -> None:
        # Lets an in-progress record expire when the invocation times out instead of blocking the key for 24 h.
        self._lambda_context = context

    def create_item(self, *, owner: str, key: str, item_in: ItemCreate) -> ItemPublic:
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
            IdempotencyPersistenceLayerError,
            IdempotencyValidationError,
        )

        config, once = self._powertools
        if self._lambda_context is not None:
            config.register_lambda_context(self._lambda_context)
        request = {"owner": owner, "key": key, "item": item_in.model_dump(mode="json")}
        try:
            return once(request=request)
        except IdempotencyValidationError as error:
            raise IdempotencyKeyReusedError() from error
        except IdempotencyAlreadyInProgressError as error:
            raise RequestInProgressError() from error
        except IdempotencyPersistenceLayerError as error:
            raise DependencyUnavailableError() from error

    def _create(self, request: dict[str, Any]) -> ItemPublic:
        # The key also reaches the item's own write: the item is created once per key even when Powertools'
        # record is lost (deleted after a failure it could not tell from "not applied").
        return self._create_item(
            owner=request["owner"], item_in=ItemCreate.model_validate(request["item"]), creation_key=request["key"]
        )


class _RecognisingOwnPuts:
    """The client Powertools writes its records with. Its conditional PutItem of the in-progress record goes through
    ConditionalWrites: a put that botocore retried after DynamoDB applied it is this request's own, not "another
    request with this key is in progress" (409). Everything else reaches the real client unchanged."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def put_item(self, **request: Any) -> dict[str, Any]:
        from app.adapters.conditional_writes import ConditionalWrites, ConditionFailed

        request.pop("ReturnValuesOnConditionCheckFailure", None)
        try:
            ConditionalWrites(self._client).put(**request)
        except ConditionFailed as failed:
            # Powertools reads the existing record from the refused put's error, as it would without this wrapper.
            raise failed.__cause__ from None  # type: ignore[misc]
        return {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)
