"""micro1 (`https://public.api.micro1.ai`, header `x-api-key`): one kind, `interview`.

Create `POST /interview` (always: it takes custom questions too, and switching to
`/custom/interview` has no documented path), update `PUT /interview/{id}` with the
complete body, delete `DELETE /interview/{id}`, read by scanning `GET /interviews`.
micro1 interviews have no field for an ownership marker, so an uncertain create is
resolved by read-back: same name and same content, not already tracked, created after
the create was attempted (`plan.matching` decides).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from interform import hints
from interform.model.remote_id import path_segment
from interform.providers import schemas
from interform.providers.base import (
    Applied,
    BodyProblem,
    DesiredResource,
    KindSpec,
    LazyOrigins,
    Lookup,
    Match,
    Placement,
    Provider,
    RemoteState,
    Removal,
    links,
)
from interform.providers.errors import NotFound, ProviderError
from interform.providers.micro1 import render, webhooks
from interform.providers.micro1.listing import envelope_data, incomplete, scan

if TYPE_CHECKING:
    import httpx

    from interform.lockfile.model import Entry
    from interform.model.definition import Definition
    from interform.providers.http import ParsedError

INTERVIEW = KindSpec(
    kind="interview",
    label="micro1 interview",
    session=False,
    updatable=True,
    removal=Removal.DELETE,
    readable=True,
    discoverable=True,
    marker=None,
    questions_field="custom_question_list",
    question_id_key=None,
    question_text_key="question",
    notes=(
        "every field updates in place: PUT /interview/{id} with the complete body",
        "read back by scanning GET /interviews (there is no GET by id)",
        "no field can hold an ownership marker: an interrupted create is found again by "
        "name and full content among untracked interviews created after it was attempted; "
        "`interform refresh` cannot rediscover untracked interviews",
        "always created with POST /interview, so adding the first skill keeps the invite link",
        f"questions without answer_time get {render.DEFAULT_ANSWER_MINUTES} minutes",
    ),
)


# past this many reads, one full listing costs fewer requests than a keyword scan each
_FEW = 5


class Micro1(Provider):
    name = "micro1"
    display_name = "micro1"
    default_base_url = "https://public.api.micro1.ai"
    kinds: ClassVar[Mapping[str, KindSpec]] = {"interview": INTERVIEW, "webhook": webhooks.WEBHOOK}

    # ------------------------------------------------------------------ wiring

    @classmethod
    def auth_headers(cls, credential: str) -> dict[str, str]:
        return {"x-api-key": credential}

    @classmethod
    def parse_error(cls, response: httpx.Response) -> ParsedError:
        """`{status: false, message}`; a 500 may carry no message. micro1 declares no 404:
        an unknown id is a 400 whose message says "not found"."""
        try:
            body = response.json()
        except ValueError:
            body = None
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, str) or not message:
            message = response.reason_phrase or f"HTTP {response.status_code}"
        not_found = response.status_code == 400 and "not found" in message.lower()
        return message, None, NotFound if not_found else None

    # ------------------------------------------------------------------ pure

    @classmethod
    def render(
        cls, defn: Definition, interview: str, target: str, source: str
    ) -> list[DesiredResource]:
        place = Placement(defn, interview, target, source, cls.name)
        body = render.interview_body(defn)
        return [
            place.resource(
                "interview",
                body,
                origins=LazyOrigins(partial(render.origins, defn)),
                notes=render.notes(defn),
                note_fields=render.note_fields(defn),
            )
        ]

    @classmethod
    def request_problems(
        cls, res: DesiredResource, operation: Literal["create", "update"]
    ) -> list[BodyProblem]:
        if res.kind == "webhook":
            return webhooks.request_problems(res, operation)
        if operation == "create":
            return schemas.problems("micro1.interview.create.request", res.body)
        return schemas.problems("micro1.interview.update.request", render.update_wire(res.body))

    # ------------------------------------------------------------------ HTTP

    def create(self, res: DesiredResource, marker: str, parent_id: str | None) -> Applied:
        if res.kind == "webhook":
            return Applied(webhooks.create(self, res))
        answer = self.http.json("POST", "/interview", json=dict(res.body), create=True)
        data = envelope_data(self.name, answer, create=True)
        # no id (or a malformed one) after a yes: the interview may well exist
        interview_id = self.response_id(data, "POST /interview", "interview_id")
        return Applied(interview_id, urls=_urls(data))

    def update(self, res: DesiredResource, prior: Entry, changed: Sequence[str]) -> Applied:
        if prior.kind == "webhook":
            webhooks.update(self, res, prior)
            return Applied(self.remote_id(prior))
        remote_id = self.remote_id(prior)
        path = f"/interview/{path_segment(remote_id)}"
        answer = self.http.json("PUT", path, json=render.update_wire(res.body))
        envelope_data(self.name, answer)
        return Applied(remote_id, urls=dict(prior.urls))

    def remove(self, prior: Entry) -> None:
        if prior.kind == "webhook":
            webhooks.remove(self, prior)
            return
        path = f"/interview/{path_segment(self.remote_id(prior))}"
        with suppress(NotFound):  # already gone is what a removal wants
            envelope_data(self.name, self.http.json("DELETE", path))

    def read(self, prior: Entry) -> RemoteState | None:
        if prior.kind == "webhook":
            return webhooks.read_many(self, {"": prior})[""]
        remote_id = self.remote_id(prior)
        name = (prior.request or {}).get("interview_name")
        item = self._lookup(remote_id, keyword=name if isinstance(name, str) else None)
        return None if item is None else _state(item, prior.request)

    def read_many(self, entries: Mapping[str, Entry]) -> dict[str, RemoteState | None]:
        """A few objects: a short keyword scan each. Many: one full scan, each page once.
        Webhooks: one listing for all of them."""
        hooks = {a: e for a, e in entries.items() if e.kind == "webhook"}
        if hooks:
            rest = {a: e for a, e in entries.items() if a not in hooks}
            return {**webhooks.read_many(self, hooks), **self.read_many(rest)}
        if len(entries) <= _FEW:
            return super().read_many(entries)
        wanted = {self.remote_id(entry): address for address, entry in entries.items()}
        states: dict[str, RemoteState | None] = dict.fromkeys(entries)
        listing = scan(self.http)
        for item in listing:
            address = wanted.get(str(item["interview_id"]))
            if address is not None:
                states[address] = _state(item, entries[address].request)
        unseen = [address for address, state in states.items() if state is None]
        if unseen and not listing.complete:
            # not listed is not gone: the listing ended before micro1's last page
            raise incomplete(self.name, listing, f"{len(unseen)} tracked interview(s)")
        return states

    def lookup(
        self,
        res: DesiredResource,
        marker: str,
        parent_id: str | None,
        exclude: Collection[str] = frozenset(),
    ) -> Lookup:
        """micro1 keeps no marker: untracked interviews with the name sent, split into
        those with exactly the content sent and those that differ (the platform may
        have stored the request differently, so they too stop a proof of absence)."""
        if res.kind == "webhook":
            return webhooks.lookup(self, res, exclude)
        name = res.body["interview_name"]
        listing = scan(self.http, keyword=name)
        named = [
            item
            for item in listing
            if item.get("interview_name") == name and item["interview_id"] not in exclude
        ]
        same = [item for item in named if render.same_content(item, res.body)]
        other = [item for item in named if item not in same]
        detail = ""
        if not listing.complete:
            run = hints.command("import", res.address, "ID")
            detail = f"GET /interviews {listing.stopped}; if the interview exists, run `{run}`"
        return Lookup(
            matches=tuple(_match(item, res.body) for item in same),
            near=tuple(_match(item, res.body) for item in other),
            complete=listing.complete,
            detail=detail,
        )

    def discover(self, kind: str) -> Iterable[RemoteState]:
        _check_kind(kind)
        return ()  # nothing on a micro1 interview says who made it (see KindSpec notes)

    def fetch(
        self, kind: str, remote_id: str, like: Mapping[str, Any] | None = None
    ) -> RemoteState:
        _check_kind(kind)
        if kind == "webhook":
            return webhooks.fetch(self, remote_id)
        item = self._lookup(remote_id, keyword=None)
        if item is None:
            raise NotFound(self.name, f"no interview with id {remote_id}", status=404)
        return _state(item, like)

    # ------------------------------------------------------------------ internals

    def _lookup(self, remote_id: str, keyword: str | None) -> dict[str, Any] | None:
        """Scan with the name first (one short page, usually); renamed outside interform
        or listed under another name, it takes a full scan."""
        for word in (keyword, None) if keyword else (None,):
            listing = scan(self.http, keyword=word)
            for item in listing:
                if item["interview_id"] == remote_id:
                    return item
        if not listing.complete:
            # not listed is not gone: the full scan ended before micro1's last page
            raise incomplete(self.name, listing, f"interview {remote_id}")
        return None


def _match(item: Mapping[str, Any], sent: Mapping[str, Any]) -> Match:
    """micro1 writes `date_created` as "YYYY-MM-DD HH:MM:SS" in UTC."""
    created = item.get("date_created")
    return Match(_state(item, sent), created if isinstance(created, str) else None)


def _state(item: Mapping[str, Any], prior: Mapping[str, Any] | None) -> RemoteState:
    return RemoteState(
        remote_id=str(item["interview_id"]),
        body=render.normalise(item, prior),
        urls=_urls(item),
    )


def _urls(data: Any) -> dict[str, str]:
    return links(data, invite_url="invite_url")


def _check_kind(kind: str) -> None:
    if kind not in Micro1.kinds:
        known = ", ".join(Micro1.kinds)
        raise ProviderError("micro1", f"micro1 has no kind {kind!r}; it manages: {known}")
