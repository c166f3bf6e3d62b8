"""What the routes of every owned, versioned resource share: If-Match headers, ETag and Location answers, links.

A resource's ETag is its version in quotes (app.domain.preconditions). Links name the operations a client can call
next with values from a response (get, replace, delete: operation ids get<Entity> and so on); schemathesis'
stateful tests follow them.
"""

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header

from app.api.responses import header
from app.domain.preconditions import VersionCondition, etag, parse_if_match
from app.domain.resources import ResourceKind
from app.services.owned import VersionedRecord

_IF_MATCH = 'ETags of the versions the change applies to ("3", a list "2", "3"), or * for any version (RFC 9110)'
IfMatch = Annotated[str, Header(description=_IF_MATCH)]
OptionalIfMatch = Annotated[str | None, Header(description=_IF_MATCH)]
PRECONDITION_ERRORS = (HTTPStatus.NOT_FOUND, HTTPStatus.PRECONDITION_FAILED)
_ID = "$response.body#/id"
_ETAG = "$response.header.ETag"


def if_match_condition(if_match: str | None) -> VersionCondition | None:
    return None if if_match is None else parse_if_match(if_match)


def etag_header(kind: ResourceKind) -> dict[str, Any]:
    return {"ETag": header(f'The {kind.noun}\'s version in quotes, e.g. "3": send it back in If-Match')}


def resource_links(kind: ResourceKind) -> dict[str, Any]:
    with_tag = {"path.id": _ID, "header.if-match": _ETAG}
    return {
        f"Get{kind.entity}": {"operationId": f"get{kind.entity}", "parameters": {"path.id": _ID}},
        f"Replace{kind.entity}": {"operationId": f"replace{kind.entity}", "parameters": with_tag},
        f"Delete{kind.entity}": {"operationId": f"delete{kind.entity}", "parameters": dict(with_tag)},
    }


def versioned_response[Public: VersionedRecord](
    kind: ResourceKind, record: Public, status: HTTPStatus = HTTPStatus.OK
) -> Response[Public]:
    """The record as the body, its ETag, and on a create (201) its Location."""
    headers = {"ETag": etag(record.version)}
    if status == HTTPStatus.CREATED:
        headers["Location"] = f"/{kind.collection}/{record.id}"
    return Response(status_code=status, content_type="application/json", body=record, headers=headers)
