"""micro1 paging: `GET /interviews?page=&limit=&keyword=` is 1-based, has no total, and
ends at the first page shorter than `limit`. There is no GET by id, so every read is a
scan; `keyword` (a case-insensitive substring of the name) keeps scans short."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from interform.providers.errors import ServerError
from interform.providers.pager import Listing, Page

if TYPE_CHECKING:
    from interform.providers.http import HttpSession

PAGE_SIZE = 100
MAX_PAGES = 10_000  # a million interviews: past that the server is not paging


def envelope_data(provider: str, answer: Any, *, create: bool = False) -> Any:
    """`data` of micro1's `{status, message, data}` envelope; a 2xx carrying
    `status: false` is a failure too, and an uncertain one after a create (the 2xx says
    the request went through; only a 4xx is a clear refusal)."""
    if not isinstance(answer, dict) or answer.get("status") is False:
        message = answer.get("message") if isinstance(answer, dict) else None
        text = str(message or f"unexpected answer {answer!r:.200}")
        raise ServerError(provider, text, uncertain=create)
    return answer.get("data")


def scan(http: HttpSession, keyword: str | None = None) -> Listing:
    """Every interview (matching `keyword`), each once, newest first. After iterating,
    `complete` says whether micro1's last page was reached."""

    def fetch(page: int, _offset: int) -> Page:
        params: dict[str, Any] = {"page": page, "limit": PAGE_SIZE}
        if keyword:
            params["keyword"] = keyword
        items = envelope_data(http.provider, http.json("GET", "/interviews", params=params))
        if not isinstance(items, list):
            raise ServerError(http.provider, "GET /interviews answered without a data list")
        listed = [i for i in items if isinstance(i, dict)]
        return Page(listed, more=len(items) >= PAGE_SIZE, received=len(items))

    return Listing(
        http.provider, "GET /interviews", fetch, id_key="interview_id", max_pages=MAX_PAGES
    )


def incomplete(provider: str, listing: Listing, what: str) -> ServerError:
    """The error for a read that needed the whole listing and did not get it."""
    return ServerError(
        provider, f"cannot tell whether {what} exists: GET /interviews {listing.stopped}"
    )
