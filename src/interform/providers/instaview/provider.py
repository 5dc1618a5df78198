"""The Instaview adapter: agents (the reusable interview template), the definition's
job, each session's candidate, and the sessions (one scheduled interview of one
candidate). Endpoints used:

- agent: `POST /agents`, `GET /agents/{id}`, `PATCH /agents/{id}`, `DELETE /agents/{id}`,
  and `GET /agents?page=&limit=` to find an interrupted create again by read-back. That
  listing is **not documented** (the get-agent page only says "use the List Agents
  endpoint"; the path and its paging are inferred from the other listings): it is the
  one undocumented endpoint interform relies on, and only for recovery;
- job: `POST /jobs`, `GET /jobs/{id}`, `PATCH /jobs/{id}`, `DELETE /jobs/{id}`,
  `GET /jobs?page=&limit=` (find by marker, refresh);
- candidate: `POST /candidates`, `GET /candidates/{id}`, `PATCH /candidates/{id}`,
  `DELETE /candidates/{id}`, `GET /candidates?search=&page=&limit=` (find by marker);
- session: `POST /interviews`, `GET /interviews/{id}`, `DELETE /interviews/{id}`,
  `GET /interviews?candidateId=&agentId=&page=&limit=` (find by marker).

Jobs and candidates keep the ownership marker in `metadata.interform`, as sessions do.
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

_NO_CLEARING = (
    "PATCH sends the changed fields; Instaview documents no way to clear a field (the "
    "update schema takes no null), so one the definition stops setting forces a replacement"
)
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
    uncleared=frozenset(rendering.AGENT_FIELDS),
    notes=(
        f"every field updates in place; {_NO_CLEARING}",
        "no field for an ownership marker: an interrupted create is found again by listing "
        "agents (`GET /agents`, an endpoint the documentation names but does not describe) "
        "and matching name and content among untracked agents created after it was "
        "attempted; refresh cannot rediscover agents",
        "deletion is permanent",
        "an existing agent can be used instead (`instaview.agent_id`): never updated or deleted",
    ),
)


def _marked(kind: str, fields: tuple[str, ...], *notes: str) -> KindSpec:
    """A job or candidate: updated in place, deleted, the marker in its metadata (which
    is cleared by sending the marker alone, so it is the one field that can be)."""
    return KindSpec(
        kind=kind,
        label=f"Instaview {kind}",
        session=False,
        updatable=True,
        removal=Removal.DELETE,
        readable=True,
        discoverable=True,
        marker="metadata",
        uncleared=frozenset(fields) - {"metadata"},
        notes=(notes[0], f"every field updates in place; {_NO_CLEARING}", *notes[1:]),
    )


JOB = _marked(
    "job",
    rendering.JOB_FIELDS,
    "one per definition and target, shared by its sessions (`jobId`)",
    "removed after the sessions that use it; an existing job can be used instead "
    "(`job_id`): never updated or deleted",
)
CANDIDATE = _marked(
    "candidate",
    rendering.CANDIDATE_FIELDS,
    "one per session, made once: a replaced session keeps its candidate (one copy of "
    "the person's data)",
    "found again after an interrupted create by its email or phone and its marker",
    "removed after its session; an existing candidate can be used instead "
    "(`candidate_id`): never updated or deleted",
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
        "interviews are listed only by candidate id: an interrupted create is found again "
        "among the interviews of its candidate",
        "uses interview minutes unless is_test",
    ),
)
_PATHS = {"agent": "/agents", "job": "/jobs", "candidate": "/candidates", "session": "/interviews"}
_FIELDS = {"agent": rendering.AGENT_FIELDS, "job": rendering.JOB_FIELDS}
_FIELDS["candidate"] = rendering.CANDIDATE_FIELDS


class Instaview(Provider):
    name = "instaview"
    display_name = "Instaview"
    default_base_url = "https://api.instaview.sk"
    kinds: ClassVar[Mapping[str, KindSpec]] = {
        "agent": AGENT,
        "job": JOB,
        "candidate": CANDIDATE,
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
        if res.kind in ("job", "candidate"):
            path = _path(res.kind)
            made = self.http.json(
                "POST", path, json=rendering.with_marker(res.body, marker), create=True
            )
            return Applied(remote_id=self.response_id(made, f"POST {path}"))
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
        if prior.kind not in _FIELDS:
            raise Unsupported(self.name, "sessions cannot be updated; plan a replacement")
        patch = rendering.patch_body(res.body, changed, _FIELDS[prior.kind])
        if "metadata" in changed and prior.kind != "agent":
            # the marker stays; metadata the definition no longer sets is cleared by it
            patch["metadata"] = rendering.with_marker(res.body, prior.marker).get("metadata")
            if patch["metadata"] is None:
                patch.pop("metadata")
        if patch:
            self.http.json("PATCH", _path(prior.kind, remote_id), json=patch)
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
        if res.kind in ("job", "candidate"):
            return self._lookup_marked(res, marker, exclude)
        return self._lookup_session(res, marker, parent_id, exclude)

    def discover(self, kind: str) -> Iterable[RemoteState]:
        # agents and webhooks carry no marker; interviews cannot be listed without a
        # candidate id
        if kind not in ("job", "candidate"):
            if kind != "webhook":
                _path(kind)
            return ()
        items, _ = list_all(self.http, _path(kind))
        states = (self._state(kind, item, None) for item in items)
        return [state for state in states if state.marker]

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

    def _lookup_marked(self, res: DesiredResource, marker: str, exclude: Collection[str]) -> Lookup:
        """Jobs and candidates keep the marker: the untracked ones carrying it. Candidates
        are searched by the email or phone sent (the list is documented with `search`)."""
        params: dict[str, str] = {}
        if res.kind == "candidate":
            key = next((k for k in ("email", "phoneNumber") if res.body.get(k)), None)
            params = {"search": str(res.body[key])} if key else {}
        items, complete = list_all(self.http, _path(res.kind), params)
        matches = [
            Match(self._state(res.kind, item, res.body), item.get("createdAt"))
            for item in items
            if str(item.get("id")) not in exclude
            and split_metadata_marker(item.get("metadata"))[1] == marker
        ]
        detail = "" if complete else _unread(res.kind, res.address)
        return Lookup(tuple(matches), complete=complete, by_marker=True, detail=detail)

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
        if kind in ("job", "candidate"):
            body = (
                rendering.job_from_remote(remote)
                if kind == "job"
                else rendering.candidate_from_remote(remote, sent)
            )
            marker = split_metadata_marker(remote.get("metadata"))[1]
            return RemoteState(remote_id, body, marker=marker)
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
