"""Listing that always ends: every adapter's pager against servers whose listings never
say they are done. The servers are the sandbox emulators (stateful: objects are created
through the adapters) behind a listing that misbehaves one way:

- `endless`: every answer says another page follows (the sandbox's `paging=endless`);
- `stuck`: the page or offset asked for is ignored (`paging=stuck`): every page repeats;
- `known`: pages after the first hold the first page's items in another order, with
  "more to come" (a page of ids already listed that is not a repeat).

Each run must end after a bounded number of requests, say why on the log (platform and
reason), and report the listing incomplete, so that no caller takes it as proof that an
object is gone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest

from interform import sandbox
from interform.model.definition import Definition
from interform.plan.matching import find
from interform.providers.base import DesiredResource, Provider
from interform.providers.errors import ServerError
from interform.providers.factory import open_provider
from interform.providers.pager import Listing, Page
from interform.sandbox import registry

from .adapter_support import target_named

TEMPLATE = "46b98d37-1557-4391-beca-03037ead19f2"
Mode = Literal["endless", "stuck", "known"]


@dataclass(frozen=True)
class Paging:
    """Where a platform keeps a listing's position, items and "more to come"."""

    position: str  # the query parameter
    first: str  # its value on the first page
    items: Callable[[Any], list[Any]]
    promise_more: Callable[[Any], None]


def _no_flag(_body: Any) -> None:
    """micro1 has no "more" flag: a full page is its promise."""


PAGING = {
    "micro1": Paging("page", "1", lambda b: b["data"], _no_flag),
    "jobmojito": Paging(
        "offset", "0", lambda b: b["data"], lambda b: b["pagination"].update(has_more=True)
    ),
    "instaview": Paging(
        "page",
        "1",
        lambda b: b["data"]["items"],
        lambda b: b["data"]["pagination"].update(hasNextPage=True),
    ),
}


class Server(httpx.BaseTransport):
    """A sandbox emulator whose listings misbehave as `mode` says; counts list requests."""

    def __init__(self, provider: str, state: Path, mode: Mode | None) -> None:
        faults = (
            sandbox.Faults() if mode is None or mode == "known" else sandbox.Faults(paging=mode)
        )
        self.inner = sandbox.transport(provider, state_dir=state, faults=faults)
        self.paging = PAGING[provider]
        self.known = mode == "known"
        self.listed: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        position = request.url.params.get(self.paging.position)
        if request.method != "GET" or position is None:
            return self.inner.handle_request(request)
        self.listed.append(request)
        if not self.known:
            return self.inner.handle_request(request)
        first = request.url.copy_set_param(self.paging.position, self.paging.first)
        answer = self.inner.handle_request(httpx.Request("GET", first, headers=request.headers))
        body = answer.json()
        if position != self.paging.first:
            self.paging.items(body).reverse()
        self.paging.promise_more(body)
        return httpx.Response(200, json=body)


@pytest.fixture
def connect(tmp_path: Path) -> Iterator[Callable[[str, Mode | None], tuple[Provider, Server]]]:
    opened: list[Provider] = []

    def make(provider: str, mode: Mode | None) -> tuple[Provider, Server]:
        server = Server(provider, tmp_path, mode)
        adapter = open_provider(
            provider,
            target_named(provider),
            transport=server,
            credential=sandbox.sandbox_credential("pager"),
            sleep=lambda _s: None,
        )
        opened.append(adapter)
        return adapter, server

    yield make
    for adapter in opened:
        adapter.http.close()
    registry.close_all()


def desired(provider: str, n: int, title: str | None = None) -> DesiredResource:
    data: dict[str, Any] = {
        "title": title or f"Interview {n:03d}",
        "description": "Backend screening.",
        "questions": [{"id": "why", "text": "Why this role?"}],
        "jobmojito": {"interview_template_id": TEMPLATE},
        "instaview": {"focus": "GENERIC"},
    }
    if provider == "micro1":
        data.pop("jobmojito")
        data.pop("instaview")
    defn = Definition.model_validate(data)
    from interform.providers.registry import provider_class

    first = provider_class(provider).render(defn, f"eng/i{n}", provider, "i.yaml")[0]
    return first


def fill(adapter: Provider, provider: str, count: int) -> list[str]:
    return [
        adapter.create(desired(provider, n), f"interform:pager:eng/i{n}@{provider}", None).remote_id
        for n in range(count)
    ]


def stop_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "interform.providers.pager"]


# ---------------------------------------------------------------------- JobMojito


@pytest.mark.parametrize(
    ("mode", "why", "listed"),
    [
        # the interview type: its page, then the empty page past the end; two empty types;
        # the same two pages of the sub-merchant list, and each of its two sub-merchants'
        # three empty types
        ("endless", "page 2 was empty although the platform said more would follow", 12),
        ("stuck", "page 2 repeated page 1", 12),
        ("known", "page 2 held no item that was not listed already", 12),
    ],
)
def test_jobmojito_listings_end_whatever_has_more_says(
    connect: Any, caplog: pytest.LogCaptureFixture, mode: Mode, why: str, listed: int
) -> None:
    maker, _ = connect("jobmojito", None)
    made = fill(maker, "jobmojito", 3)
    jm, server = connect("jobmojito", mode)
    with caplog.at_level(logging.WARNING, logger="interform.providers.pager"):
        found = {state.remote_id for state in jm.discover("interview")}
    assert found == set(made)  # what was listed is still used
    assert len(server.listed) == listed  # not 500 pages per product type
    assert (
        f"jobmojito: GET /merchant-interview-list stopped after 2 page(s): {why}; "
        "the list may be incomplete"
    ) in stop_lines(caplog)


def test_jobmojito_an_unfinished_listing_is_no_proof_of_absence(connect: Any) -> None:
    maker, _ = connect("jobmojito", None)
    fill(maker, "jobmojito", 2)
    jm, server = connect("jobmojito", "stuck")
    lost = desired("jobmojito", 0)  # named like one that exists, but not marked as it
    found = find(jm, lost, "interform:pager:eng/lost@jobmojito", None, None)
    assert found.status == "undecidable"
    assert "could not be read to the end" in found.detail
    assert len(server.listed) == 2


def test_jobmojito_honest_listing_is_complete_and_quiet(
    connect: Any, caplog: pytest.LogCaptureFixture
) -> None:
    maker, _ = connect("jobmojito", None)
    fill(maker, "jobmojito", 2)
    jm, server = connect("jobmojito", None)
    lost = desired("jobmojito", 7)
    with caplog.at_level(logging.WARNING):
        assert find(jm, lost, "interform:pager:eng/i7@jobmojito", None, None).status == "absent"
    assert len(server.listed) == 1 and not stop_lines(caplog)


# ---------------------------------------------------------------------- micro1


@pytest.mark.parametrize(
    ("mode", "why"),
    [("stuck", "page 2 repeated page 1"), ("known", "page 2 held no item that was not listed")],
)
def test_micro1_a_listing_of_full_pages_that_never_moves_ends(
    connect: Any, caplog: pytest.LogCaptureFixture, mode: Mode, why: str
) -> None:
    maker, _ = connect("micro1", None)
    fill(maker, "micro1", 101)  # more than one page: page 1 is full, so micro1 says "more"
    m1, server = connect("micro1", mode)
    with caplog.at_level(logging.WARNING), pytest.raises(ServerError) as caught:
        m1.fetch("interview", "not-there")
    assert "cannot tell whether interview not-there exists" in str(caught.value)
    assert why in str(caught.value)
    assert len(server.listed) == 2  # not 10,000 pages
    assert any(line.startswith("micro1: GET /interviews stopped") for line in stop_lines(caplog))
    # named so that micro1's keyword search matches a full page of other interviews
    lost = desired("micro1", 500, title="Interview 0")
    found = find(m1, lost, "m", None, None)
    assert found.status == "undecidable" and "interform import eng/i500@micro1" in found.detail


def test_micro1_endless_changes_nothing_a_short_page_ends_it(connect: Any) -> None:
    """micro1 says "more" only with a full page; a promise it cannot make is no fault."""
    maker, _ = connect("micro1", None)
    fill(maker, "micro1", 3)
    m1, server = connect("micro1", "endless")
    assert find(m1, desired("micro1", 9), "m", None, None).status == "absent"
    assert len(server.listed) == 1


# ---------------------------------------------------------------------- Instaview


@pytest.mark.parametrize(
    ("mode", "why"),
    [
        ("endless", "page 2 was empty although the platform said more would follow"),
        ("stuck", "page 2 repeated page 1"),
        ("known", "page 2 held no item that was not listed already"),
    ],
)
def test_instaview_agent_listing_ends_whatever_hasnextpage_says(
    connect: Any, caplog: pytest.LogCaptureFixture, mode: Mode, why: str
) -> None:
    maker, _ = connect("instaview", None)
    fill(maker, "instaview", 3)
    iv, server = connect("instaview", mode)
    with caplog.at_level(logging.WARNING):
        found = find(iv, desired("instaview", 9), "m", None, None)
    assert found.status == "undecidable"  # nothing matched, but the list did not end
    assert len(server.listed) == 2
    assert (
        f"instaview: GET /agents stopped after 2 page(s): {why}; the list may be incomplete"
    ) in stop_lines(caplog)


# ---------------------------------------------------------------------- the pager itself


class Pages:
    """A listing serving `batches` (ids) in turn; past them, empty pages (saying more
    when `more_after`). Records the pages and offsets it was asked for."""

    def __init__(self, *batches: list[int], more_after: bool = False) -> None:
        self.batches, self.more_after = batches, more_after
        self.asked: list[tuple[int, int]] = []

    def __call__(self, number: int, offset: int) -> Page:
        self.asked.append((number, offset))
        if number <= len(self.batches):
            return Page([{"id": i} for i in self.batches[number - 1]], more=True)
        return Page([], more=self.more_after)


def test_a_listing_read_to_its_end_is_complete_and_each_id_comes_once() -> None:
    # newest first while two objects are created: page 2 starts with page 1's last two
    fetch = Pages([5, 4, 3], [3, 2, 1])
    listing = Listing("x", "GET /things", fetch, id_key="id", max_pages=10)
    assert [item["id"] for item in listing] == [5, 4, 3, 2, 1]
    assert listing.complete and listing.stopped is None
    assert fetch.asked == [(1, 0), (2, 3), (3, 6)]


def test_the_bound_stops_a_listing_that_keeps_inventing_ids(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def fetch(number: int, offset: int) -> Page:
        return Page([{"id": f"{number}-{i}"} for i in range(3)], more=True)

    listing = Listing("x", "GET /things", fetch, id_key="id", max_pages=4)
    with caplog.at_level(logging.WARNING):
        items, complete = listing.collect()
    assert len(items) == 12 and not complete and listing.pages == 4
    assert stop_lines(caplog) == [
        "x: GET /things stopped after 4 page(s): interform reads at most 4 pages of one "
        "listing; the list may be incomplete"
    ]


def test_items_without_an_id_are_skipped_but_move_the_offset() -> None:
    asked: list[int] = []

    def fetch(number: int, offset: int) -> Page:
        asked.append(offset)
        batch = [{"id": "a"}, {"name": "no id"}] if number == 1 else [{"id": "b"}]
        return Page(batch, more=number == 1)

    listing = Listing("x", "GET /things", fetch, id_key="id", max_pages=10)
    assert [item["id"] for item in listing] == ["a", "b"]
    assert asked == [0, 2]


def test_leaving_a_listing_early_is_not_a_stop(caplog: pytest.LogCaptureFixture) -> None:
    listing = Listing("x", "GET /things", Pages([1, 2], [3]), id_key="id", max_pages=10)
    with caplog.at_level(logging.WARNING):
        assert next(iter(listing))["id"] == 1
    assert not listing.complete and listing.stopped is None and not stop_lines(caplog)
