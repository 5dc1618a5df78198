"""JobMojito lists: `GET /merchant-interview-list?limit=&offset=` answers
`{data, pagination: {total, limit, offset, has_more}}`, newest-updated first. List items
carry no `code`, so finding interform's objects takes a `job-interview-get` per item."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from interform.providers.errors import ServerError

if TYPE_CHECKING:
    from interform.providers.http import HttpSession

PATH = "/merchant-interview-list"
PAGE_SIZE = 200  # the endpoint allows up to 1000; smaller pages keep each answer quick
MAX_PAGES = 500  # 100,000 interviews: beyond that the listing is reported incomplete


def list_all(
    http: HttpSession, params: Mapping[str, Any] | None = None
) -> tuple[list[dict[str, Any]], bool]:
    """Every listed interview (each id once) and whether the listing is known complete."""
    items: dict[str, dict[str, Any]] = {}
    offset = 0
    for _ in range(MAX_PAGES):
        query = {**(params or {}), "limit": PAGE_SIZE, "offset": offset}
        batch, more = _page(http.provider, http.json("GET", PATH, params=query))
        for item in batch:
            items.setdefault(str(item["id"]), item)
        if not more:
            return list(items.values()), True
        if not batch:
            return list(items.values()), False  # "more" with nothing sent: not the end
        offset += len(batch)
    return list(items.values()), False


def _page(provider: str, payload: Any) -> tuple[list[dict[str, Any]], bool]:
    data = payload.get("data") if isinstance(payload, Mapping) else None
    if not isinstance(data, list):
        raise ServerError(provider, f"GET {PATH}: unexpected answer (no data list)")
    pagination = payload.get("pagination")
    more = isinstance(pagination, Mapping) and pagination.get("has_more") is True
    return [i for i in data if isinstance(i, dict) and i.get("id")], more
