"""JobMojito lists: `GET /merchant-interview-list?limit=&offset=` answers
`{data, pagination: {total, limit, offset, has_more}}`, newest-updated first. List items
carry no `code`, so finding interform's objects takes a `job-interview-get` per item.
`has_more` is not trusted alone: the shared pager (`providers/pager.py`) also stops on
an empty, repeated or already-listed page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from interform.providers.errors import ServerError
from interform.providers.pager import Listing, Page

if TYPE_CHECKING:
    from interform.providers.http import HttpSession

PATH = "/merchant-interview-list"
SUB_MERCHANTS = "/merchant-sub-merchant-list"  # the same envelope and paging
PAGE_SIZE = 200  # the endpoint allows up to 1000; smaller pages keep each answer quick
MAX_PAGES = 500  # 100,000 interviews: beyond that the listing is reported incomplete


def list_all(
    http: HttpSession, params: Mapping[str, Any] | None = None, path: str = PATH
) -> tuple[list[dict[str, Any]], bool]:
    """Every listed item (each id once) and whether the listing is known complete."""

    def fetch(_number: int, offset: int) -> Page:
        query = {**(params or {}), "limit": PAGE_SIZE, "offset": offset}
        return _page(http.provider, path, http.json("GET", path, params=query))

    return Listing(http.provider, f"GET {path}", fetch, id_key="id", max_pages=MAX_PAGES).collect()


def _page(provider: str, path: str, payload: Any) -> Page:
    data = payload.get("data") if isinstance(payload, Mapping) else None
    if not isinstance(data, list):
        raise ServerError(provider, f"GET {path}: unexpected answer (no data list)")
    pagination = payload.get("pagination")
    more = isinstance(pagination, Mapping) and pagination.get("has_more") is True
    items = [i for i in data if isinstance(i, dict) and i.get("id")]
    return Page(items, more, received=len(data))
