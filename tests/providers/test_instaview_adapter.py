"""The Instaview adapter over HTTP, against a small stateful fake of the platform.

The fake keeps agents and interviews in dicts, answers in the documented shapes (bare
objects, the guide's list and error envelopes, NestJS validation errors), sends the
`X-RateLimit-*` headers, and asserts every request body against the request schema and
every answer against the response schema, so the adapter, the schemas and the fake
cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interform.model.definition import Definition
from interform.model.project import RateLimit, Target
from interform.plan.matching import find
from interform.providers.base import DesiredResource, make_marker, with_refs
from interform.providers.errors import (
    AuthError,
    MissingCredential,
    NotFound,
    ProviderError,
    RateLimited,
    RequestRejected,
    ServerError,
    Unsupported,
)
from interform.providers.factory import open_provider
from interform.providers.http import RetryPolicy
from interform.providers.instaview.provider import Instaview
from interform.providers.ratelimit import RateLimiter

from .adapter_support import assert_valid, entry

if TYPE_CHECKING:
    from .conftest import AdapterFactory, FakeClock

TOKEN = "sk_test_instaview_0123456789abcdef"
PROJECT = "3f1c0a52-5b7e-4f7a-9a51-0d2c8e6b1a77"
CANDIDATE = "123e4567-e89b-12d3-a456-426614174000"
T0 = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def guide_error(status: int, code: str, message: str) -> httpx.Response:
    body = {
        "success": False,
        "data": None,
        "timestamp": stamp(T0),
        "error": {"code": code, "message": message, "details": None},
    }
    return httpx.Response(status, json=body)


def nest_error(
    status: int,
    message: str | list[str],
    error: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> httpx.Response:
    body = {"statusCode": status, "message": message, "error": error, **extra}
    return httpx.Response(status, json=body, headers=headers)


def too_many(
    retry_after: int, message: str = "ThrottlerException: Too Many Requests"
) -> httpx.Response:
    return nest_error(
        429,
        message,
        "Too Many Requests",
        headers={"Retry-After": str(retry_after)},
        retryAfter=retry_after,
        limit=60,
        remaining=0,
        reset=retry_after,
    )


class FakeInstaview:
    """Agents and interviews of one company, behind the documented endpoints."""

    def __init__(self) -> None:
        self.agents: dict[str, dict[str, Any]] = {}
        self.interviews: dict[str, dict[str, Any]] = {}
        self.candidates: dict[str, dict[str, Any]] = {}
        self.jobs: dict[str, dict[str, Any]] = {}
        self.requests: list[httpx.Request] = []
        self.scripted: list[httpx.Response] = []  # answered first, one per request
        self.remaining_minute = 59
        self.now = T0
        self._ids = itertools.count(1)

    def new_id(self) -> str:
        return f"00000000-0000-4000-8000-{next(self._ids):012d}"

    def tick(self) -> str:
        self.now += timedelta(seconds=1)
        return stamp(self.now)

    # -------------------------------------------------------------- routing

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.scripted:
            return self.scripted.pop(0)
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return guide_error(401, "INVALID_API_KEY", "Invalid API key")
        response = self.route(request)
        response.headers["X-RateLimit-Limit-Minute"] = "60"
        response.headers["X-RateLimit-Remaining-Minute"] = str(self.remaining_minute)
        response.headers["X-RateLimit-Reset-Minute"] = "30"
        return response

    def route(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.strip("/").split("/")
        body: dict[str, Any] = json.loads(request.content) if request.content else {}
        if parts[0] in ("jobs", "candidates"):
            return self.plain_object(request, parts, body)
        collection = {"agents": self.agents, "interviews": self.interviews}[parts[0]]
        kind = "agent" if parts[0] == "agents" else "session"
        if len(parts) == 1 and request.method == "GET":
            return self.list(kind, collection, request.url.params)
        if len(parts) == 1 and request.method == "POST":
            return self.create_agent(body) if kind == "agent" else self.create_interview(body)
        stored = collection.get(parts[1])
        if stored is None:
            return guide_error(404, "RESOURCE_NOT_FOUND", f"{kind} not found")
        if request.method == "GET":
            return self.answer(f"instaview.{kind}.get.response", stored)
        if request.method == "DELETE":
            del collection[parts[1]]
            return self.answer(f"instaview.{kind}.delete.response", True)
        assert request.method == "PATCH" and kind == "agent"
        assert_valid("instaview.agent.update.request", body)
        stored.update(body, updatedAt=self.tick())
        return self.answer("instaview.agent.update.response", stored)

    def plain_object(
        self, request: httpx.Request, parts: list[str], body: dict[str, Any]
    ) -> httpx.Response:
        """Jobs and candidates: bare objects with the fields they were given."""
        kind = parts[0][:-1]
        store = self.jobs if kind == "job" else self.candidates
        if len(parts) == 1 and request.method == "GET":
            if kind == "candidate":
                return self.list_candidates(request.url.params)
            return self.list("job", store, request.url.params)
        if len(parts) == 1:
            assert_valid(f"instaview.{kind}.create.request", body)
            made = {**body, "id": self.new_id(), "createdAt": self.tick()}
            if kind == "candidate":
                made["jobIds"] = [made.pop("jobId")] if "jobId" in made else []
            store[made["id"]] = made
            return httpx.Response(201, json=made)
        stored = store.get(parts[1])
        if stored is None:
            return guide_error(404, "RESOURCE_NOT_FOUND", f"{kind} not found")
        if request.method == "DELETE":
            del store[parts[1]]
            return httpx.Response(200, json=True)
        if request.method == "PATCH":
            assert_valid(f"instaview.{kind}.update.request", body)
            stored.update(body)
        return httpx.Response(200, json=stored)

    def answer(self, schema: str, payload: Any, status: int = 200) -> httpx.Response:
        assert_valid(schema, payload)
        return httpx.Response(status, json=payload)

    # -------------------------------------------------------------- endpoints

    def create_agent(self, body: dict[str, Any]) -> httpx.Response:
        assert_valid("instaview.agent.create.request", body)
        optional = ("duration", "instructions", "voiceId", "companyPhoneNumberId", "cefrLevel")
        agent = {key: None for key in optional} | {"questions": []} | body
        created = self.tick()
        agent |= {
            "id": self.new_id(),
            "companyId": "c-1",
            "createdAt": created,
            "updatedAt": created,
        }
        self.agents[agent["id"]] = agent
        return self.answer("instaview.agent.create.response", agent, 201)

    def create_interview(self, body: dict[str, Any]) -> httpx.Response:
        assert_valid("instaview.session.create.request", body)
        if body["agentId"] not in self.agents:
            return nest_error(400, ["agentId must reference an existing agent"], "Bad Request")
        candidate = body.get("candidate") or {}
        job_id = (
            body.get("jobId")
            or candidate.get("jobId")
            or (self.new_id() if "job" in body else None)
        )
        created = self.tick()
        candidate_id = body.get("candidateId")
        if candidate_id is None:  # an inline candidate becomes a new candidate
            candidate_id = self.new_id()
            made = {k: v for k, v in candidate.items() if k != "jobId"}
            self.candidates[candidate_id] = {**made, "id": candidate_id, "createdAt": created}
        interview = {
            "id": self.new_id(),
            "candidateId": candidate_id,
            "agentId": body["agentId"],
            "status": "COMPLETED" if body.get("isTest") else "SCHEDULED",
            "scheduledAt": body.get("scheduleTime", created),
            "createdAt": created,
            "updatedAt": created,
            "jobId": job_id,
            "durationMinutes": 5 if body.get("isTest") else 15,
            "metadata": body.get("metadata"),
            "callAttempts": [],
            "isTest": bool(body.get("isTest")),
        }
        self.interviews[interview["id"]] = interview
        return self.answer("instaview.session.create.response", interview, 201)

    def list(
        self, kind: str, collection: dict[str, dict[str, Any]], params: httpx.QueryParams
    ) -> httpx.Response:
        items = list(collection.values())
        if kind == "session":
            if "candidateId" not in params:
                return nest_error(400, ["candidateId should not be empty"], "Bad Request")
            items = [i for i in items if i["candidateId"] == params["candidateId"]]
            items = [i for i in items if params.get("agentId") in (None, i["agentId"])]
        page, limit = int(params.get("page", 1)), int(params.get("limit", 20))
        assert 1 <= limit <= 100
        chunk = items[(page - 1) * limit : page * limit]
        pages = max(1, -(-len(items) // limit))
        pagination = {
            "total": len(items),
            "page": page,
            "limit": limit,
            "totalPages": pages,
            "hasNextPage": page < pages,
            "hasPreviousPage": page > 1,
        }
        envelope = {"success": True, "data": {"items": chunk, "pagination": pagination}}
        return self.answer(f"instaview.{kind}.list.response", envelope)

    def list_candidates(self, params: httpx.QueryParams) -> httpx.Response:
        """The candidates reference's shape; `search` matches names, email and phone."""
        search = params.get("search", "").lower()
        keys = ("firstName", "lastName", "email", "phoneNumber")
        found = [
            c
            for c in self.candidates.values()
            if any(search in str(c.get(k, "")).lower() for k in keys)
        ]
        page, limit = int(params.get("page", 1)), int(params.get("limit", 20))
        chunk = found[(page - 1) * limit : page * limit]
        pages = max(1, -(-len(found) // limit))
        envelope = {"data": chunk, "total": len(found), "page": page, "limit": limit}
        return self.answer("instaview.candidate.list.response", {**envelope, "totalPages": pages})


# ---------------------------------------------------------------------- wiring


@pytest.fixture
def fake() -> FakeInstaview:
    return FakeInstaview()


Opener = Callable[..., Instaview]


@pytest.fixture
def connect(fake: FakeInstaview, clock: FakeClock, adapter: AdapterFactory) -> Opener:
    """An adapter over the fake, with the platform's default rate limit on a fake clock."""

    def make(*, retry: RetryPolicy | None = None, server: FakeInstaview = fake) -> Instaview:
        limiter = RateLimiter(*Instaview.default_rate_limit, clock=clock, sleep=clock.sleep)
        instaview: Instaview = adapter(Instaview, server, TOKEN, "iv", retry=retry, limiter=limiter)
        return instaview

    return make


def resources(**instaview: Any) -> list[DesiredResource]:
    defn = Definition.model_validate(
        {
            "title": "Backend engineer",
            "description": "Backend screening",
            "language": "en",
            "questions": [{"text": "Tell me about Python."}],
            "instaview": instaview,
        }
    )
    return Instaview.render(defn, "eng/backend", "iv", "interviews/eng/backend.yaml")


def marker_of(res: DesiredResource) -> str:
    return make_marker(PROJECT, res.address)


def sent_json(request: httpx.Request) -> Any:
    return json.loads(request.content)


def soon(days: float = 2) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).isoformat()


# ---------------------------------------------------------------------- agents


def test_agent_create_read_update_remove(fake: FakeInstaview, connect: Opener) -> None:
    iv = connect()
    agent = resources(voice_id="ALEX", duration=20)[0]
    applied = iv.create(agent, marker_of(agent), None)
    (post,) = fake.requests
    assert (post.method, post.url.path) == ("POST", "/agents")
    assert sent_json(post) == dict(agent.body)
    assert post.headers["Authorization"] == f"Bearer {TOKEN}"
    prior = entry(agent, applied.remote_id)
    state = iv.read(prior)
    assert state is not None and state.body == agent.body  # a fresh agent shows no diff

    changed = resources(voice_id="EMMA", duration=45)[0]  # duration and voice changed
    iv.update(changed, prior, ["duration", "voiceId"])
    patch = fake.requests[-1]
    assert (patch.method, patch.url.path) == ("PATCH", f"/agents/{applied.remote_id}")
    assert sent_json(patch) == {"duration": 45, "voiceId": "EMMA"}
    state = iv.read(entry(changed, applied.remote_id))
    assert state is not None and state.body == changed.body

    # a setting the definition stops setting is never sent as null (the schema takes
    # none; the plan replaces the agent instead)
    cleared = resources(duration=45)[0]
    sent = len(fake.requests)
    iv.update(cleared, prior, ["voiceId"])
    assert len(fake.requests) == sent  # nothing left to send: no request at all

    iv.remove(prior)
    assert fake.agents == {}
    iv.remove(prior)  # already gone: removal is idempotent
    assert iv.read(prior) is None


def test_update_with_nothing_to_send_sends_nothing(fake: FakeInstaview, connect: Opener) -> None:
    iv = connect()
    agent = resources()[0]
    applied = iv.create(agent, marker_of(agent), None)
    iv.update(agent, entry(agent, applied.remote_id), [])
    assert [r.method for r in fake.requests] == ["POST"]


def test_fetch_reads_one_object_for_import(fake: FakeInstaview, connect: Opener) -> None:
    iv = connect()
    agent = resources()[0]
    applied = iv.create(agent, marker_of(agent), None)
    assert iv.fetch("agent", applied.remote_id).body == agent.body
    with pytest.raises(NotFound, match="agent not found"):
        iv.fetch("agent", "00000000-0000-4000-8000-999999999999")
    with pytest.raises(ValueError, match="no kind"):
        iv.fetch("nope", applied.remote_id)


def test_find_agent_by_read_back(fake: FakeInstaview, connect: Opener) -> None:
    iv = connect()
    agent = resources()[0]
    since = stamp(fake.now)
    assert find(iv, agent, marker_of(agent), None, since).status == "absent"
    # the create took effect but its answer was lost
    fake.scripted.append(httpx.Response(502, text="bad gateway"))
    with pytest.raises(ServerError) as lost:
        iv.create(agent, marker_of(agent), None)
    assert lost.value.uncertain
    fake.scripted.clear()
    created = iv.http.json("POST", "/agents", json=dict(agent.body))["id"]
    found = find(iv, agent, marker_of(agent), None, since)
    assert (found.status, found.remote_id) == ("found", created)
    assert found.state is not None and found.state.body == agent.body
    # the tracked one never counts; an agent of another name never matches
    assert find(iv, agent, marker_of(agent), None, since, exclude={created}).status == "absent"
    renamed = dataclasses.replace(agent, body={**agent.body, "name": "Frontend engineer"})
    assert find(iv, renamed, marker_of(renamed), None, since).status == "absent"
    # the same name with other content may be how the platform stored the request
    other = resources(duration=10)[0]
    unsure = find(iv, other, marker_of(other), None, since)
    assert unsure.status == "undecidable" and "this name but other content" in unsure.detail
    assert created in unsure.detail


def test_find_agent_ignores_lookalikes_created_before_the_attempt(
    fake: FakeInstaview, connect: Opener
) -> None:
    iv = connect()
    agent = resources()[0]
    old = iv.http.json("POST", "/agents", json=dict(agent.body))["id"]
    fake.now += timedelta(hours=1)
    since = stamp(fake.now)
    assert find(iv, agent, marker_of(agent), None, since).status == "absent"
    new = iv.http.json("POST", "/agents", json=dict(agent.body))["id"]
    found = find(iv, agent, marker_of(agent), None, since)
    assert (found.status, found.remote_id) == ("found", new)
    # without a start time two identical agents cannot be told apart
    unsure = find(iv, agent, marker_of(agent), None, None)
    assert unsure.status == "undecidable"
    assert old in unsure.detail and new in unsure.detail
    assert "interform import eng/backend@iv" in unsure.detail


def test_find_agent_reads_every_page(fake: FakeInstaview, connect: Opener) -> None:
    iv = connect()
    for n in range(150):
        iv.http.json("POST", "/agents", json={**resources()[0].body, "name": f"other {n}"})
    agent = resources()[0]
    created = iv.http.json("POST", "/agents", json=dict(agent.body))["id"]
    fake.requests.clear()
    found = find(iv, agent, marker_of(agent), None, None)
    assert (found.status, found.remote_id) == ("found", created)
    pages = [(r.url.params["page"], r.url.params["limit"]) for r in fake.requests]
    assert pages == [("1", "100"), ("2", "100")]


def test_listing_accepts_the_candidates_reference_shape(
    fake: FakeInstaview, connect: Opener
) -> None:
    iv = connect()
    agent = resources()[0]
    item = {**agent.body, "id": "a-2", "companyId": "c", "createdAt": "x", "updatedAt": "x"}
    other = {**item, "id": "a-1", "name": "other"}
    fake.scripted += [
        httpx.Response(
            200, json={"data": [other], "total": 2, "page": 1, "limit": 1, "totalPages": 2}
        ),
        httpx.Response(
            200, json={"data": [item], "total": 2, "page": 2, "limit": 1, "totalPages": 2}
        ),
    ]
    found = find(iv, agent, marker_of(agent), None, None)
    assert (found.status, found.remote_id) == ("found", "a-2")
    assert len(fake.requests) == 2


def test_a_listing_that_stops_early_is_not_proof_of_absence(
    fake: FakeInstaview, connect: Opener
) -> None:
    iv = connect()
    pagination = {
        "total": 5,
        "page": 1,
        "limit": 100,
        "totalPages": 2,
        "hasNextPage": True,
        "hasPreviousPage": False,
    }
    fake.scripted.append(
        httpx.Response(200, json={"success": True, "data": {"items": [], "pagination": pagination}})
    )
    agent = resources()[0]
    found = find(iv, agent, marker_of(agent), None, None)
    assert found.status == "undecidable"
    assert "could not be read to the end" in found.detail
    fake.scripted.append(httpx.Response(200, json={"success": True, "data": None}))
    with pytest.raises(ServerError, match="unexpected list response"):
        find(iv, agent, marker_of(agent), None, None)


def test_agents_are_not_discoverable_by_marker(fake: FakeInstaview, connect: Opener) -> None:
    iv = connect()
    assert list(iv.discover("agent")) == []
    assert list(iv.discover("session")) == []
    assert fake.requests == []


# ---------------------------------------------------------------------- sessions


def make_session_pair(
    iv: Instaview, **session: Any
) -> tuple[DesiredResource, str, DesiredResource]:
    """The agent made, then the job and candidate the session references, as apply
    makes them; the session with their ids in its body."""
    agent, *parts, res = resources(job={}, sessions=[{"name": "jana", **session}])
    agent_id = iv.create(agent, marker_of(agent), None).remote_id
    made: dict[str, str] = {}
    for part in parts:
        part = with_refs(part, made.get)
        made[part.address] = iv.create(part, marker_of(part), agent_id).remote_id
    return agent, agent_id, with_refs(res, made.get)


def test_session_create_injects_agent_and_marker(fake: FakeInstaview, connect: Opener) -> None:
    iv = connect()
    candidate = {
        "first_name": "Jana",
        "last_name": "Nová",
        "email": "jana@example.com",
        "gdpr_expiry_date": "2027-01-31",
    }
    _, agent_id, res = make_session_pair(
        iv, candidate=candidate, schedule_time=soon(), metadata={"ats": "A-1"}
    )
    marker = marker_of(res)
    applied = iv.create(res, marker, agent_id)
    wire = sent_json(fake.requests[-1])
    assert wire == {
        **res.body,
        "agentId": agent_id,
        "metadata": {"ats": "A-1", "interform": marker},
    }
    stored = fake.interviews[applied.remote_id]
    assert applied.urls == {"status": "SCHEDULED", "candidate_id": stored["candidateId"]}
    assert applied.private == {"job_id": stored["jobId"]}
    (job,) = fake.jobs.values()
    assert (wire["jobId"], wire["candidateId"]) == (job["id"], stored["candidateId"])
    assert fake.candidates[wire["candidateId"]]["jobIds"] == [job["id"]]

    state = iv.read(entry(res, applied.remote_id, marker))
    assert state is not None
    assert state.body == res.body  # marker stripped
    assert state.marker == marker
    assert state.parent_remote_id == agent_id


def test_test_sessions_complete_at_once(fake: FakeInstaview, connect: Opener) -> None:
    iv = connect()
    _, agent_id, res = make_session_pair(iv, candidate_id=CANDIDATE, is_test=True)
    applied = iv.create(res, marker_of(res), agent_id)
    assert applied.urls["status"] == "COMPLETED"
    state = iv.read(entry(res, applied.remote_id))
    assert state is not None and state.body == res.body  # immediate start: no scheduleTime


def test_session_cannot_be_updated_and_is_deleted(fake: FakeInstaview, connect: Opener) -> None:
    iv = connect()
    _, agent_id, res = make_session_pair(iv, candidate_id=CANDIDATE)
    applied = iv.create(res, marker_of(res), agent_id)
    prior = entry(res, applied.remote_id)
    with pytest.raises(Unsupported):
        iv.update(res, prior, ["isTest"])
    iv.remove(prior)
    assert fake.requests[-1].method == "DELETE"
    assert fake.requests[-1].url.path == f"/interviews/{applied.remote_id}"
    assert iv.read(prior) is None


def test_find_session_by_marker_with_known_candidate(fake: FakeInstaview, connect: Opener) -> None:
    iv = connect()
    _, agent_id, res = make_session_pair(iv, candidate_id=CANDIDATE)
    marker = marker_of(res)
    assert find(iv, res, marker, agent_id, None).status == "absent"
    applied = iv.create(res, marker, agent_id)
    # another session of the same candidate and agent, not ours
    iv.http.json("POST", "/interviews", json={"candidateId": CANDIDATE, "agentId": agent_id})
    found = find(iv, res, marker, agent_id, None)
    assert (found.status, found.remote_id) == ("found", applied.remote_id)
    listing = fake.requests[-1]
    assert listing.url.params["candidateId"] == CANDIDATE
    assert listing.url.params["agentId"] == agent_id
    # a replacement: the old session carries the same marker but is tracked
    assert find(iv, res, marker, agent_id, None, exclude={applied.remote_id}).status == "absent"


def test_find_candidate_and_job_by_marker(fake: FakeInstaview, connect: Opener) -> None:
    """Jobs and candidates keep the marker in their metadata; candidates are searched
    by the phone or email sent."""
    iv = connect()
    candidate = {
        "first_name": "A",
        "last_name": "B",
        "phone_number": "+421900000000",
        "gdpr_expiry_date": "2027-01-31",
    }
    _, job, person, _ = resources(job={}, sessions=[{"name": "jana", "candidate": candidate}])
    person = with_refs(person, lambda _: None)
    person = dataclasses.replace(
        person, body={k: v for k, v in person.body.items() if k != "jobId"}
    )
    for res in (job, person):
        marker = marker_of(res)
        assert find(iv, res, marker, None, None).status == "absent"
        # the same object without our marker is not ours
        iv.http.json("POST", f"/{res.kind}s", json=dict(res.body))
        assert find(iv, res, marker, None, None).status == "absent"
        fake.scripted.append(httpx.Response(502, text="bad gateway"))
        with pytest.raises(ServerError):
            iv.create(res, marker, None)  # the 502 came from a proxy: nothing was made
        applied = iv.create(res, marker, None)
        found = find(iv, res, marker, None, None)
        assert (found.status, found.remote_id) == ("found", applied.remote_id)
        assert found.state is not None and found.state.body == res.body
        assert find(iv, res, marker, None, None, exclude={applied.remote_id}).status == "absent"
    searched = [r for r in fake.requests if r.url.path == "/candidates"][-1]
    assert searched.url.params["search"] == "+421900000000"
    assert {s.remote_id for s in iv.discover("job")} == set(fake.jobs) - {
        j for j, v in fake.jobs.items() if "metadata" not in v
    }


def test_job_and_candidate_update_in_place_keeping_the_marker(
    fake: FakeInstaview, connect: Opener
) -> None:
    iv = connect()
    _, job = resources(job={"benefits": "Gym", "metadata": {"ext": "J-1"}})
    applied = iv.create(job, marker_of(job), None)
    prior = entry(job, applied.remote_id, marker_of(job))
    _, edited = resources(job={"benefits": "Gym"})  # user metadata dropped
    iv.update(edited, prior, ["metadata"])
    assert sent_json(fake.requests[-1]) == {"metadata": {"interform": marker_of(job)}}
    assert fake.jobs[applied.remote_id]["metadata"] == {"interform": marker_of(job)}
    state = iv.read(prior)
    assert state is not None and state.body == edited.body and state.marker == marker_of(job)


def test_fetch_session_keeps_everything_observable(fake: FakeInstaview, connect: Opener) -> None:
    iv = connect()
    _, agent_id, res = make_session_pair(iv, candidate_id=CANDIDATE, metadata={"a": 1})
    applied = iv.create(res, marker_of(res), agent_id)
    state = iv.fetch("session", applied.remote_id)
    stored = fake.interviews[applied.remote_id]
    assert state.marker == marker_of(res)
    assert state.body["metadata"] == {"a": 1}
    assert state.body["candidateId"] == CANDIDATE
    assert state.body["jobId"] == stored["jobId"]


# ---------------------------------------------------------------------- errors


BAD_REQUEST = "Bad Request"
ERROR_CASES = [
    (guide_error(401, "INVALID_API_KEY", "Invalid API key"), AuthError, "Invalid API key"),
    (
        guide_error(403, "INSUFFICIENT_PERMISSIONS", "Missing write:agents"),
        AuthError,
        "write:agents",
    ),
    (guide_error(401, "API_KEY_SUSPENDED", "API key suspended"), AuthError, "suspended"),
    (guide_error(404, "RESOURCE_NOT_FOUND", "Agent not found"), NotFound, "Agent not found"),
    (nest_error(400, ["name: not a string", "focus: bad"], BAD_REQUEST), RequestRejected, "focus"),
    (nest_error(400, "Job ID must be provided", BAD_REQUEST), RequestRejected, "Job ID must"),
    (nest_error(403, "Billing limit exceeded", "Forbidden"), RequestRejected, "Billing limit"),
    (httpx.Response(400, text="<html>bad</html>"), RequestRejected, "<html>bad</html>"),
]


@pytest.mark.parametrize(("response", "error", "message"), ERROR_CASES)
def test_documented_error_shapes_map_to_typed_errors(
    fake: FakeInstaview,
    connect: Opener,
    response: httpx.Response,
    error: type[ProviderError],
    message: str,
) -> None:
    iv = connect()
    fake.scripted.append(response)
    agent = resources()[0]
    with pytest.raises(ProviderError) as raised:
        iv.create(agent, marker_of(agent), None)
    assert type(raised.value) is error
    assert message in raised.value.message
    assert raised.value.message  # the platform's words, never empty
    assert not raised.value.retryable
    assert len(fake.requests) == 1


def test_error_codes_and_every_validation_message_are_kept(
    fake: FakeInstaview, connect: Opener
) -> None:
    iv = connect()
    fake.scripted += [
        guide_error(401, "INVALID_API_KEY", "Invalid API key"),
        nest_error(400, ["name must be a string", "focus must be one of"], BAD_REQUEST),
    ]
    with pytest.raises(AuthError) as auth:
        iv.fetch("agent", "a-1")
    assert auth.value.code == "INVALID_API_KEY"
    with pytest.raises(RequestRejected) as rejected:
        iv.fetch("agent", "a-1")
    assert rejected.value.message == "name must be a string; focus must be one of"
    assert rejected.value.code == BAD_REQUEST
    assert rejected.value.status == 400


def test_rate_limited_create_waits_retry_after_then_succeeds(
    fake: FakeInstaview, connect: Opener, clock: FakeClock
) -> None:
    iv = connect()
    fake.scripted.append(too_many(7))
    agent = resources()[0]
    applied = iv.create(agent, marker_of(agent), None)  # a 429 was refused: safe to resend
    assert applied.remote_id in fake.agents
    assert len(fake.agents) == 1
    assert [r.method for r in fake.requests] == ["POST", "POST"]
    assert sum(clock.sleeps) >= 7


def test_rate_limit_exhausted_reports_the_platform_message(
    fake: FakeInstaview, connect: Opener
) -> None:
    iv = connect(retry=RetryPolicy(attempts=2))
    limited = too_many(1, "Rate limit exceeded")
    fake.scripted += [limited, limited]
    with pytest.raises(RateLimited, match="Rate limit exceeded"):
        iv.fetch("agent", "00000000-0000-4000-8000-000000000001")


def test_remaining_zero_pauses_the_next_request(
    fake: FakeInstaview, connect: Opener, clock: FakeClock
) -> None:
    iv = connect()
    agent = resources()[0]
    applied = iv.create(agent, marker_of(agent), None)
    assert clock.sleeps == []
    fake.remaining_minute = 0  # the next answer says the minute is used up (reset in 30 s)
    iv.fetch("agent", applied.remote_id)
    assert clock.sleeps == []
    iv.fetch("agent", applied.remote_id)
    assert sum(clock.sleeps) == pytest.approx(30, abs=1)


def test_default_rate_limit_is_sixty_a_minute(clock: FakeClock) -> None:
    assert Instaview.default_rate_limit == (60, 2000)
    limiter = RateLimiter(*Instaview.default_rate_limit, clock=clock, sleep=clock.sleep)
    for _ in range(60):
        limiter.acquire()
    assert clock.sleeps == []
    limiter.acquire()
    assert sum(clock.sleeps) == pytest.approx(1.0, rel=0.05)


def test_server_error_on_create_is_uncertain_and_not_retried(
    fake: FakeInstaview, connect: Opener
) -> None:
    iv = connect()
    fake.scripted.append(nest_error(500, "Internal server error", "Internal Server Error"))
    agent = resources()[0]
    with pytest.raises(ServerError) as raised:
        iv.create(agent, marker_of(agent), None)
    assert raised.value.uncertain
    assert len(fake.requests) == 1


def test_read_is_retried_after_a_server_error(
    fake: FakeInstaview, connect: Opener, clock: FakeClock
) -> None:
    iv = connect()
    agent = resources()[0]
    applied = iv.create(agent, marker_of(agent), None)
    fake.scripted.append(httpx.Response(503, text="unavailable"))
    state = iv.read(entry(agent, applied.remote_id))
    assert state is not None and state.body == agent.body
    assert len(clock.sleeps) == 1


# ---------------------------------------------------------------------- credentials


def test_credentials_come_from_the_target_variable_and_never_leak(
    fake: FakeInstaview, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    target = Target(
        provider="instaview", credential_env="IV_KEY", rate_limit=RateLimit(per_minute=1000)
    )
    monkeypatch.delenv("IV_KEY", raising=False)
    with pytest.raises(MissingCredential, match="IV_KEY"):
        open_provider("iv", target, transport=httpx.MockTransport(fake))
    assert fake.requests == []

    monkeypatch.setenv("IV_KEY", TOKEN)
    caplog.set_level(logging.DEBUG, logger="interform")
    iv = open_provider("iv", target, transport=httpx.MockTransport(fake))
    try:
        agent = resources()[0]
        iv.create(agent, marker_of(agent), None)
        assert fake.requests[-1].headers["Authorization"] == f"Bearer {TOKEN}"
        # a platform that echoes the key back in an error
        fake.scripted.append(guide_error(401, "INVALID_API_KEY", f"Invalid API key {TOKEN}"))
        with pytest.raises(AuthError) as raised:
            iv.fetch("agent", "x")
    finally:
        iv.http.close()
    assert TOKEN not in str(raised.value)
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


def test_wrong_key_is_an_auth_error(monkeypatch: pytest.MonkeyPatch, fake: FakeInstaview) -> None:
    target = Target(provider="instaview")
    iv = open_provider(
        "iv", target, transport=httpx.MockTransport(fake), credential="sk_wrong_key_1"
    )
    try:
        with pytest.raises(AuthError, match="Invalid API key"):
            iv.fetch("agent", "x")
    finally:
        iv.http.close()


# ---------------------------------------------------------------------- property


def _definitions() -> st.SearchStrategy[Definition]:
    text = st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
    )
    metadata = st.dictionaries(
        st.text("abcdefgh", min_size=1, max_size=6),
        st.one_of(st.integers(-5, 5), st.booleans(), text, st.lists(st.integers(0, 3), max_size=3)),
        max_size=4,
    )
    candidate = st.fixed_dictionaries(
        {
            "first_name": text,
            "last_name": text,
            "email": st.just("a@b.example"),
            "gdpr_expiry_date": st.just("2027-05-01"),
        }
    )
    session = st.fixed_dictionaries(
        {"is_test": st.booleans()},
        optional={
            "metadata": metadata,
            "schedule_time": st.integers(1, 29 * 24).map(lambda h: soon(h / 24)),
        },
    ).flatmap(
        lambda s: st.one_of(
            st.just({**s, "candidate_id": CANDIDATE}),
            candidate.map(lambda c: {**s, "candidate": c}),
        )
    )
    instaview = st.fixed_dictionaries(
        {
            "type": st.sampled_from(["ONLINE", "PHONE"]),
            "focus": st.sampled_from(["SCREENING", "OUTREACH"]),
        },
        optional={
            "duration": st.integers(1, 120),
            "voice_id": st.sampled_from(["ALEX", "EMMA"]),
            "cefr_level": st.sampled_from(["A1", "B2", "C2"]),
            "instructions": text,
            "job": st.fixed_dictionaries(
                {}, optional={"experience": text, "required_skills": st.lists(text, max_size=3)}
            ),
            "sessions": st.lists(session, max_size=2).map(
                lambda ss: [{**s, "name": f"s{i}"} for i, s in enumerate(ss)]
            ),
        },
    )
    return st.builds(
        lambda title, desc, lang, qs, iv: Definition.model_validate(
            {
                "title": title,
                "description": desc,
                "language": lang,
                "questions": [{"text": q} for q in qs],
                "instaview": iv,
            }
        ),
        text,
        st.one_of(st.none(), text),
        st.sampled_from(["en", "sk", "de", "cs"]),
        st.lists(text, max_size=4),
        instaview,
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(defn=_definitions())
def test_applied_objects_read_back_without_a_diff(defn: Definition, connect: Opener) -> None:
    """render → create on the fake → read → the rendered body, for every kind."""
    iv = connect(server=FakeInstaview())
    agent, *others = Instaview.render(defn, "p/x", "iv", "interviews/p/x.yaml")
    agent_id = iv.create(agent, marker_of(agent), None).remote_id
    state = iv.read(entry(agent, agent_id))
    assert state is not None and state.body == agent.body
    made: dict[str, str] = {}
    for res in others:  # the job, then each candidate and its session, as apply orders them
        res = with_refs(res, made.get)
        if Instaview.request_problems(res, "create"):
            continue  # e.g. a candidate under a non-GENERIC agent with no job
        applied = iv.create(res, marker_of(res), agent_id)
        made[res.address] = applied.remote_id
        state = iv.read(entry(res, applied.remote_id))
        assert state is not None and state.body == res.body
