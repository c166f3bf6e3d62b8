"""One page of an owner's records, as the repositories of owned resources return it.

Apart from app.domain.resources, which every function that reads the shared table loads (the jobs, the worker and
the audit function too): only the functions that list records create this class at cold start.
"""

from typing import NamedTuple


class Page[Record](NamedTuple):
    """One page of an owner's records, newest first; `has_more` says whether another page follows."""

    items: list[Record]
    has_more: bool
