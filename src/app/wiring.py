"""Builds the adapters and services of the API once per container. The only place that knows concrete adapters."""

from dataclasses import dataclass
from functools import cache
from typing import Any

from app.adapters.aws import client
from app.adapters.dynamodb_items import DynamoDBItemRepository
from app.adapters.idempotency import IdempotentCreates
from app.adapters.secrets import SecretsManagerKey
from app.domain.cursors import CursorCodec
from app.services.items import IdempotentItemCreates, ItemService
from app.settings import Settings, get_settings


@dataclass(frozen=True)
class ApiServices:
    items: ItemService
    idempotent_creates: IdempotentItemCreates


def build_api_services(*, settings: Settings, dynamodb: Any) -> ApiServices:
    items = ItemService(
        repository=DynamoDBItemRepository(client=dynamodb, table_name=settings.items_table_name),
        cursors=CursorCodec(SecretsManagerKey(secret_arn=settings.cursor_secret_arn)),
    )
    creates = IdempotentCreates(
        client=dynamodb, table_name=settings.idempotency_table_name, create_item=items.create_item
    )
    return ApiServices(items=items, idempotent_creates=creates)


@cache
def api_services() -> ApiServices:
    return build_api_services(settings=get_settings(), dynamodb=client("dynamodb"))
