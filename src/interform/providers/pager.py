"""Listing that always ends: the one loop behind every paged list a platform offers.

Each platform pages its own way (micro1 by page number until a short page, JobMojito by
offset while `has_more`, Instaview by page number while `hasNextPage`); its adapter
supplies only `fetch` (one page, parsed) and the name of the id field. The loop stops:

- at the platform's own end (`Page.more` is false): the listing is complete;
- on a page that is empty although more were promised;
- on a page that repeats an earlier one (a server ignoring `page` or `offset`);
- on a page that holds only ids already listed;
- at interform's bound of pages per listing.

Every early stop is logged as a warning naming the platform and why, and leaves
`Listing.complete` false: callers must not take an incomplete listing as proof that
an object is gone (see each adapter's use of it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from interform.model.remote_id import remote_id_problem

log = logging.getLogger("interform.providers.pager")


@dataclass(frozen=True)
class Page:
    """One parsed page. `received` counts what the platform sent, items without an id
    included: offsets advance by it."""

    items: list[dict[str, Any]]
    more: bool  # the platform says another page follows
    received: int | None = None


# (page number from 1, offset: items received before this page) -> the page
Fetch = Callable[[int, int], Page]


class Listing:
    """Iterate to get each listed item once (by id), in the platform's order. Once the
    iteration is over, `complete` says whether the platform's own end was reached and
    `stopped` says why not. Iterate once; stopping the iteration early logs nothing."""

    def __init__(
        self, platform: str, what: str, fetch: Fetch, *, id_key: str, max_pages: int
    ) -> None:
        self.platform = platform
        self.what = what  # e.g. "GET /interviews", for the log line
        self.fetch = fetch
        self.id_key = id_key
        self.max_pages = max_pages
        self.complete = False
        self.stopped: str | None = None
        self.pages = 0  # pages requested so far

    def __iter__(self) -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        earlier: dict[tuple[str, ...], int] = {}  # the ids of each page -> its number
        offset = 0
        for number in range(1, self.max_pages + 1):
            page = self.fetch(number, offset)
            self.pages = number
            ids = tuple(self._id(item) for item in page.items)
            fresh = [item for item, i in zip(page.items, ids, strict=True) if i and i not in seen]
            seen.update(self._id(item) for item in fresh)
            yield from fresh
            if not page.more:
                self.complete = True
                return
            received = len(page.items) if page.received is None else page.received
            if not fresh:
                self._stop(_why_nothing_new(number, received, earlier.get(ids)))
                return
            earlier.setdefault(ids, number)
            offset += received
        self._stop(f"interform reads at most {self.max_pages} pages of one listing")

    def collect(self) -> tuple[list[dict[str, Any]], bool]:
        """Every item, and whether the listing is known to be complete."""
        items = list(self)
        return items, self.complete

    def _id(self, item: dict[str, Any]) -> str:
        """The item's id; "" when it has none, or one that is no usable remote id (such
        an item can never be one interform tracks or adopts: it is passed over)."""
        value = item.get(self.id_key)
        text = "" if value is None else str(value)
        return text if remote_id_problem(text) is None else ""

    def _stop(self, why: str) -> None:
        self.stopped = why
        log.warning(
            "%s: %s stopped after %d page(s): %s; the list may be incomplete",
            self.platform,
            self.what,
            self.pages,
            why,
        )


def _why_nothing_new(number: int, received: int, repeats: int | None) -> str:
    if received == 0:
        return f"page {number} was empty although the platform said more would follow"
    if repeats is not None:
        return f"page {number} repeated page {repeats}"
    return f"page {number} held no item that was not listed already"
