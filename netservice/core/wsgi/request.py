"""The request object controllers receive."""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import webob

from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.policy import Policy

T = TypeVar("T")

CONTEXT_KEY = "netservice.context"
POLICY_KEY = "netservice.policy"
MAX_LIMIT_KEY = "netservice.max_limit"


@dataclasses.dataclass(frozen=True)
class Page:
    """``limit`` and ``marker`` from the query string."""

    limit: int
    marker: str | None


class Request(webob.Request):  # type: ignore[misc]  # webob ships no type hints
    """A WebOb request with the caller's context, policy and paging."""

    @property
    def context(self) -> RequestContext:
        ctx: RequestContext = self.environ[CONTEXT_KEY]
        return ctx

    def authorize(
        self, action: str, target: Mapping[str, Any] | None = None, *, hide: bool = False
    ) -> None:
        policy: Policy = self.environ[POLICY_KEY]
        policy.authorize(self.context, action, target, hide=hide)

    @property
    def page(self) -> Page:
        """Validated paging; 400 naming ``limit`` or ``marker`` when malformed."""
        max_limit: int = self.environ.get(MAX_LIMIT_KEY, 1000)
        raw = self.GET.get("limit")
        limit = max_limit
        if raw is not None:
            # ASCII digits only: str.isdigit() also takes '²', which int() refuses.
            if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
                raise exceptions.InvalidInput(
                    field="limit", reason=f"must be a positive integer, got {raw!r}"
                )
            limit = min(int(raw), max_limit)
        marker = self.GET.get("marker") or None
        return Page(limit=limit, marker=marker)


def paginate(
    items: Sequence[T], page: Page, key: Callable[[T], str]
) -> tuple[list[T], str | None]:
    """Slice an ordered list after ``page.marker``.

    Returns the page and the marker of the next page (None on the last).
    Raises InvalidInput when the marker is not in the list.  Plugins with
    large tables page in SQL instead and only reuse ``Request.page``.
    """
    start = 0
    if page.marker is not None:
        for index, item in enumerate(items):
            if key(item) == page.marker:
                start = index + 1
                break
        else:
            raise exceptions.InvalidInput(field="marker", reason=f"{page.marker!r} was not found")
    chunk = list(items[start : start + page.limit])
    next_marker = key(chunk[-1]) if chunk and start + page.limit < len(items) else None
    return chunk, next_marker


def links(req: Request, next_marker: str | None) -> list[dict[str, str]]:
    """A Compute-style ``*_links`` list with the next page, if any."""
    if next_marker is None:
        return []
    params = dict(req.GET)
    params["marker"] = next_marker
    query = urllib.parse.urlencode(params)
    return [{"rel": "next", "href": f"{req.host_url}{req.path}?{query}"}]
