"""Instaview lists: `page` (1-based) and `limit` (at most 100), read until `hasNextPage`
is false. The pagination guide's envelope `{success, data: {items, pagination}}` is the
documented shape; the candidates reference shows `{data: [...], total, page, limit,
totalPages}`, so that is accepted too. The shared pager (`providers/pager.py`) also stops
on an empty, repeated or already-listed page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from interform.providers.errors import ServerError
from interform.providers.pager import Listing, Page

if TYPE_CHECKING:
    from interform.providers.http import HttpSession

PAGE_SIZE = 100
MAX_PAGES = 1000  # 100,000 objects: beyond that the listing is reported incomplete


def list_all(
    http: HttpSession, path: str, params: Mapping[str, Any] | None = None
) -> tuple[list[dict[str, Any]], bool]:
    """Every item of a listing (each id once), and whether the listing is known to be
    complete."""

    def fetch(page: int, _offset: int) -> Page:
        query = {**(params or {}), "page": page, "limit": PAGE_SIZE}
        return _page(http.provider, path, http.json("GET", path, params=query), page)

    return Listing(http.provider, f"GET {path}", fetch, id_key="id", max_pages=MAX_PAGES).collect()


def _page(provider: str, path: str, payload: Any, page: int) -> Page:
    data = payload.get("data") if isinstance(payload, Mapping) else None
    if isinstance(data, Mapping) and isinstance(data.get("items"), list):
        pagination = data.get("pagination")
        more = isinstance(pagination, Mapping) and pagination.get("hasNextPage") is True
        items = data["items"]
    elif isinstance(data, list):
        total_pages = payload.get("totalPages")
        more = isinstance(total_pages, int) and page < total_pages
        items = data
    else:
        raise ServerError(provider, f"GET {path}: unexpected list response (no data.items)")
    return Page([i for i in items if isinstance(i, dict)], more, received=len(items))
