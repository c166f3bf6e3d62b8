"""Entity tags of items and the If-Match rules of RFC 9110 (section 13.1.1) that decide which version a write needs.

An item's ETag is its version in quotes, "3". If-Match is `*` (any current version) or a comma-separated list of
entity tags; a list matches when one of its strong tags is the item's ETag, compared character by character, so
W/"3" (weak) and "03" never match. A value that is not valid If-Match syntax can match nothing either: 412.
"""

import re
from typing import NamedTuple

# A version is a positive integer that DynamoDB and Python hold exactly; longer digit strings name no version.
_VERSION = re.compile(r"[1-9][0-9]{0,17}")
_ETAG = r'(?:W/)?"[^\x00-\x20"\x7f]*"'
# RFC 9110 lists (section 5.6.1): elements separated by commas with optional whitespace, empty elements tolerated.
_ETAG_LIST = re.compile(rf"[ \t,]*{_ETAG}(?:[ \t]*,[ \t,]*{_ETAG})*[ \t,]*")
_TAG = re.compile(r'(W/)?"([^"]*)"')


class VersionCondition(NamedTuple):
    """What an If-Match header asks of the item: any current version, or one of `versions`."""

    any_version: bool = False
    versions: frozenset[int] = frozenset()


ANY_VERSION = VersionCondition(any_version=True)


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str) -> VersionCondition:
    """The condition of an If-Match value; tags that cannot be an item's ETag are dropped (they never match)."""
    if value.strip(" \t") == "*":
        return ANY_VERSION
    if _ETAG_LIST.fullmatch(value) is None:
        return VersionCondition()
    versions = {
        int(match.group(2))
        for match in _TAG.finditer(value)
        if match.group(1) is None and _VERSION.fullmatch(match.group(2)) is not None
    }
    return VersionCondition(versions=frozenset(versions))
