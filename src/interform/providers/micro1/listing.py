"""micro1 paging: `GET /interviews?page=&limit=&keyword=` is 1-based, has no total, and
ends at the first page shorter than `limit`. There is no GET by id, so every read is a
scan; `keyword` (a case-insensitive substring of the name) keeps scans short."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from interform.providers.errors import ServerError

if TYPE_CHECKING:
    from interform.providers.http import HttpSession

PAGE_SIZE = 100
MAX_PAGES = 10_000  # a million interviews: past that the server is not paging


def envelope_data(provider: str, answer: Any) -> Any:
    """`data` of micro1's `{status, message, data}` envelope; a 2xx carrying
    `status: false` is a failure too."""
    if not isinstance(answer, dict) or answer.get("status") is False:
        message = answer.get("message") if isinstance(answer, dict) else None
        raise ServerError(provider, str(message or f"unexpected answer {answer!r:.200}"))
    return answer.get("data")


def scan(http: HttpSession, keyword: str | None = None) -> Iterator[dict[str, Any]]:
    """Every interview (matching `keyword`), each once, newest first. Exhausting the
    iterator means the listing was complete."""
    seen: set[str] = set()
    for page in range(1, MAX_PAGES + 1):
        params: dict[str, Any] = {"page": page, "limit": PAGE_SIZE}
        if keyword:
            params["keyword"] = keyword
        items = envelope_data(http.provider, http.json("GET", "/interviews", params=params))
        if not isinstance(items, list):
            raise ServerError(http.provider, "GET /interviews answered without a data list")
        fresh = [i for i in items if isinstance(i, dict) and _id(i) and _id(i) not in seen]
        if len(items) == PAGE_SIZE and not fresh:
            raise ServerError(http.provider, f"GET /interviews page {page} repeats earlier pages")
        for item in fresh:
            seen.add(_id(item))
            yield item
        if len(items) < PAGE_SIZE:
            return
    raise ServerError(http.provider, f"GET /interviews did not end after {MAX_PAGES} pages")


def _id(item: dict[str, Any]) -> str:
    return str(item.get("interview_id") or "")
