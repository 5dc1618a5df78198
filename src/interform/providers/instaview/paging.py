"""Instaview lists: `page` (1-based) and `limit` (at most 100), read until `hasNextPage`
is false. The pagination guide's envelope `{success, data: {items, pagination}}` is the
documented shape; the candidates reference shows `{data: [...], total, page, limit,
totalPages}`, so that is accepted too."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from interform.providers.errors import ServerError

if TYPE_CHECKING:
    from interform.providers.http import HttpSession

PAGE_SIZE = 100
MAX_PAGES = 1000  # 100,000 objects: beyond that the listing is reported incomplete


def list_all(
    http: HttpSession, path: str, params: Mapping[str, Any] | None = None
) -> tuple[list[dict[str, Any]], bool]:
    """Every item of a listing, and whether the listing is known to be complete."""
    items: list[dict[str, Any]] = []
    for page in range(1, MAX_PAGES + 1):
        payload = http.json(
            "GET", path, params={**(params or {}), "page": page, "limit": PAGE_SIZE}
        )
        batch, more = _page(http.provider, path, payload, page)
        items.extend(batch)
        if not more:
            return items, True
        if not batch:
            return items, False  # "more to come" with nothing sent: do not claim the end
    return items, False


def _page(provider: str, path: str, payload: Any, page: int) -> tuple[list[dict[str, Any]], bool]:
    data = payload.get("data") if isinstance(payload, Mapping) else None
    if isinstance(data, Mapping) and isinstance(data.get("items"), list):
        pagination = data.get("pagination")
        more = isinstance(pagination, Mapping) and pagination.get("hasNextPage") is True
        return [i for i in data["items"] if isinstance(i, dict)], more
    if isinstance(data, list):
        total_pages = payload.get("totalPages")
        more = isinstance(total_pages, int) and page < total_pages
        return [i for i in data if isinstance(i, dict)], more
    raise ServerError(provider, f"GET {path}: unexpected list response (no data.items)")
