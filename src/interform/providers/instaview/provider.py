"""The Instaview adapter: agents (the reusable interview template) and their sessions
(one scheduled interview of one candidate). Endpoints used:

- agent: `POST /agents`, `GET /agents/{id}`, `PATCH /agents/{id}`, `DELETE /agents/{id}`,
  `GET /agents?page=&limit=` (find by read-back);
- session: `POST /interviews`, `GET /interviews/{id}`, `DELETE /interviews/{id}`,
  `GET /interviews?candidateId=&agentId=&page=&limit=` (find by marker), after
  `GET /candidates?search=` for an inline candidate (each create makes a new one).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from interform import hints
from interform.model.remote_id import path_segment, remote_id_problem
from interform.providers.base import (
    Applied,
    BodyProblem,
    DesiredResource,
    KindSpec,
    Lookup,
    Match,
    Provider,
    RemoteState,
    Removal,
    links,
    split_metadata_marker,
)
from interform.providers.errors import NotFound, Unsupported
from interform.providers.instaview import errors, rules, webhooks
from interform.providers.instaview import render as rendering
from interform.providers.instaview.paging import list_all

if TYPE_CHECKING:
    import httpx

    from interform.lockfile.model import Entry
    from interform.model.definition import Definition
    from interform.providers.http import ParsedError

log = logging.getLogger("interform.providers.instaview")

AGENT = KindSpec(
    kind="agent",
    label="Instaview agent",
    session=False,
    updatable=True,
    removal=Removal.DELETE,
    readable=True,
    discoverable=True,
    marker=None,
    questions_field="questions",
    notes=(
        "every field updates in place: PATCH sends the changed fields (null clears one)",
        "no field for an ownership marker: an interrupted create is found again by listing "
        "agents and matching name and content among untracked agents created after it was "
        "attempted; refresh cannot rediscover agents",
        "deletion is permanent",
    ),
)
SESSION = KindSpec(
    kind="session",
    label="Instaview session",
    session=True,
    updatable=False,
    removal=Removal.DELETE,
    readable=True,
    discoverable=False,
    marker="metadata",
    notes=(
        "create-only: any change replaces the session (a new interview, the old one deleted)",
        "removal deletes the interview: a scheduled one is cancelled, a finished one loses "
        "its results",
        "interviews are listed only by candidate id: after an interrupted create, a session "
        "whose candidate is created inline is found through the candidates with its email "
        "(or phone)",
        "uses interview minutes unless is_test",
    ),
)
_PATHS = {"agent": "/agents", "session": "/interviews"}


class Instaview(Provider):
    name = "instaview"
    display_name = "Instaview"
    default_base_url = "https://api.instaview.sk"
    kinds: ClassVar[Mapping[str, KindSpec]] = {
        "agent": AGENT,
        "session": SESSION,
        "webhook": webhooks.WEBHOOK,
    }
    # the documented default per API key; plans with higher limits set target.rate_limit
    default_rate_limit = (60, 2000)

    # ------------------------------------------------------------------ pure

    @classmethod
    def render(
        cls, defn: Definition, interview: str, target: str, source: str
    ) -> list[DesiredResource]:
        return rendering.render(defn, interview, target, source)

    @classmethod
    def request_problems(
        cls, res: DesiredResource, operation: Literal["create", "update"]
    ) -> list[BodyProblem]:
        if res.kind == "webhook":
            return webhooks.request_problems(res, operation)
        return rules.request_problems(res, operation)

    @classmethod
    def parse_error(cls, response: httpx.Response) -> ParsedError:
        return errors.parse_error(response)

    # ------------------------------------------------------------------ HTTP

    def create(self, res: DesiredResource, marker: str, parent_id: str | None) -> Applied:
        if res.kind == "webhook":
            return Applied(webhooks.create(self, res))
        if res.kind == "agent":
            agent = self.http.json("POST", "/agents", json=dict(res.body), create=True)
            return Applied(remote_id=self.response_id(agent, "POST /agents"))
        if parent_id is None:
            raise ValueError(f"{res.address}: a session is created under its agent's id")
        wire = rendering.session_wire(res.body, marker, parent_id)
        session = self.http.json("POST", "/interviews", json=wire, create=True)
        remote_id = self.response_id(session, "POST /interviews")
        return Applied(remote_id, urls=_session_urls(session), private=_session_private(session))

    def update(self, res: DesiredResource, prior: Entry, changed: Sequence[str]) -> Applied:
        remote_id = self.remote_id(prior)
        if prior.kind == "webhook":
            webhooks.update(self, res, prior, changed)
            return Applied(remote_id)
        if prior.kind != "agent":
            raise Unsupported(self.name, "sessions cannot be updated; plan a replacement")
        patch = rendering.agent_patch(res.body, changed)
        if patch:
            self.http.json("PATCH", _path("agent", remote_id), json=patch)
        return Applied(remote_id)

    def remove(self, prior: Entry) -> None:
        if prior.kind == "webhook":
            webhooks.remove(self, prior)
            return
        try:
            self.http.request("DELETE", _path(prior.kind, self.remote_id(prior)))
        except NotFound:
            log.debug("%s %s was already deleted", prior.kind, prior.remote_id)

    def read(self, prior: Entry) -> RemoteState | None:
        if prior.kind == "webhook":
            return webhooks.read(self, prior)
        try:
            remote = self.http.json("GET", _path(prior.kind, self.remote_id(prior)))
        except NotFound:
            return None
        return self._state(prior.kind, remote, prior.request)

    def lookup(
        self,
        res: DesiredResource,
        marker: str,
        parent_id: str | None,
        exclude: Collection[str] = frozenset(),
    ) -> Lookup:
        if res.kind == "agent":
            return self._lookup_agent(res, exclude)
        if res.kind == "webhook":
            return webhooks.lookup(self, res, exclude)
        return self._lookup_session(res, marker, parent_id, exclude)

    def discover(self, kind: str) -> Iterable[RemoteState]:
        # agents and webhooks carry no marker; interviews cannot be listed without a
        # candidate id
        if kind != "webhook":
            _path(kind)
        return ()

    def fetch(
        self, kind: str, remote_id: str, like: Mapping[str, Any] | None = None
    ) -> RemoteState:
        if kind == "webhook":
            return webhooks.fetch(self, remote_id, like)
        remote = self.http.json("GET", _path(kind, remote_id))
        sent = self._as_sent(remote, like) if kind == "session" and like is not None else None
        return self._state(kind, remote, sent)

    def _as_sent(self, remote: Mapping[str, Any], like: Mapping[str, Any]) -> dict[str, Any]:
        """The request a session was made with, as far as it can be told: an inline
        candidate or job becomes a candidate or job of its own, returned only by id, so
        it counts as the definition's when that candidate or job holds what it says."""
        sent = dict(like)
        if "candidate" in sent and not self._holds("/candidates", remote, "candidateId", sent):
            del sent["candidate"]
        if "job" in sent and not self._holds("/jobs", remote, "jobId", sent):
            del sent["job"]
            sent["jobId"] = remote.get("jobId")
        return sent

    def _holds(
        self, path: str, remote: Mapping[str, Any], key: str, sent: Mapping[str, Any]
    ) -> bool:
        inline = sent["candidate" if key == "candidateId" else "job"]
        made = remote.get(key)
        if not isinstance(made, str) or remote_id_problem(made) or not isinstance(inline, Mapping):
            return False
        try:
            stored = self.http.json("GET", f"{path}/{path_segment(made)}")
        except NotFound:
            return False
        wanted = {k: v for k, v in inline.items() if k != "jobId"}
        return isinstance(stored, Mapping) and all(stored.get(k) == v for k, v in wanted.items())

    # ------------------------------------------------------------------ internals

    def _lookup_agent(self, res: DesiredResource, exclude: Collection[str]) -> Lookup:
        """Agents keep no marker: untracked agents with exactly the content sent, and
        those with its name but other content."""
        items, complete = list_all(self.http, "/agents")
        wanted = dict(res.body)
        same: list[Match] = []
        near: list[Match] = []
        for item in items:
            if str(item.get("id")) in exclude or item.get("name") != wanted.get("name"):
                continue
            match = Match(self._state("agent", item, None), item.get("createdAt"))
            (same if rendering.agent_from_remote(item) == wanted else near).append(match)
        detail = "" if complete else _unread("agent", res.address)
        return Lookup(tuple(same), tuple(near), complete=complete, detail=detail)

    def _lookup_session(
        self,
        res: DesiredResource,
        marker: str,
        parent_id: str | None,
        exclude: Collection[str],
    ) -> Lookup:
        """Interviews are listed only by candidate: the candidate named, or every
        candidate with the inline candidate's email or phone (each create makes one)."""
        candidates, complete = self._candidates_of(res.body)
        if candidates is None:
            return Lookup(
                complete=False,
                by_marker=True,
                detail="Instaview lists interviews only by candidate, and this session's inline "
                "candidate has no email or phone to find it by; if Instaview shows an interview "
                f"with metadata interform={marker!r}, run "
                f"`{hints.command('import', res.address, 'INTERVIEW_ID')}`",
            )
        matches: list[Match] = []
        for candidate_id in candidates:
            params = {"candidateId": candidate_id, **({"agentId": parent_id} if parent_id else {})}
            items, listed = list_all(self.http, "/interviews", params)
            complete = complete and listed
            matches += [
                Match(self._state("session", item, res.body), item.get("createdAt"))
                for item in items
                if str(item.get("id")) not in exclude
                and split_metadata_marker(item.get("metadata"))[1] == marker
            ]
        detail = "" if complete else _unread("session", res.address)
        return Lookup(tuple(matches), complete=complete, by_marker=True, detail=detail)

    def _candidates_of(self, body: Mapping[str, Any]) -> tuple[list[str] | None, bool]:
        """Ids of the candidates a session body may have made or named (None: cannot be
        searched), and whether the search was complete."""
        named = body.get("candidateId")
        if isinstance(named, str):
            return [named], True
        inline = body.get("candidate")
        inline = inline if isinstance(inline, Mapping) else {}
        key = next((k for k in ("email", "phoneNumber") if isinstance(inline.get(k), str)), None)
        if key is None:
            return None, False
        items, complete = list_all(self.http, "/candidates", {"search": inline[key]})
        return [str(c.get("id")) for c in items if c.get(key) == inline[key]], complete

    def _state(self, kind: str, remote: Any, sent: Mapping[str, Any] | None) -> RemoteState:
        remote_id = self.response_id(remote, f"GET {_path(kind)}")
        if kind == "agent":
            return RemoteState(remote_id, rendering.agent_from_remote(remote))
        _, marker = split_metadata_marker(remote.get("metadata"))
        return RemoteState(
            remote_id,
            rendering.session_from_remote(remote, sent),
            urls=_session_urls(remote),
            marker=marker,
            parent_remote_id=remote.get("agentId"),
            private=_session_private(remote),
        )


def _unread(what: str, address: str) -> str:
    return (
        f"the list of {what}s could not be read to the end; if the {what} exists, run "
        f"`{hints.command('import', address, 'ID')}`"
    )


def _path(kind: str, remote_id: str | None = None) -> str:
    try:
        base = _PATHS[kind]
    except KeyError:
        raise ValueError(f"Instaview has no kind {kind!r}") from None
    return base if remote_id is None else f"{base}/{path_segment(remote_id)}"


def _session_urls(session: Mapping[str, Any]) -> dict[str, str]:
    """What users need to find the interview in Instaview; it documents no candidate link."""
    return links(session, status="status", candidate_id="candidateId")


def _session_private(session: Mapping[str, Any]) -> dict[str, Any]:
    job_id = session.get("jobId")
    return {"job_id": job_id} if isinstance(job_id, str) else {}
