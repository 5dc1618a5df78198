"""Instaview emulator behaviour: rate limits per key, job rules of sessions, agents."""

from __future__ import annotations

from typing import Any

import httpx

from interform.sandbox.faults import Faults

from .support import Clock, Connect, seed

CANDIDATE = {
    "firstName": "Jane",
    "lastName": "Doe",
    "email": "j@x.io",
    "gdprExpiryDate": "2027-12-01",
}


def test_rate_limit_headers_and_429_per_key(connect: Connect, clock: Clock) -> None:
    c = connect("instaview")
    answers = [c.get("/agents") for _ in range(60)]
    assert [a.headers["X-RateLimit-Remaining-Minute"] for a in answers[:2]] == ["59", "58"]
    assert answers[-1].headers["X-RateLimit-Remaining-Hour"] == "1940"
    assert answers[0].headers["X-RateLimit-Limit-Minute"] == "60"
    clock.now += 20
    refused = c.get("/agents")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "40"
    body = refused.json()
    assert (body["statusCode"], body["error"], body["retryAfter"]) == (429, "Too Many Requests", 40)
    assert (body["limit"], body["remaining"], body["reset"]) == (60, 0, 40)
    assert connect("instaview", key="sandbox-other").get("/agents").status_code == 200
    clock.now += 40
    again = c.get("/agents")
    assert again.status_code == 200 and again.headers["X-RateLimit-Remaining-Minute"] == "59"


def test_hour_window_and_configurable_limits(connect: Connect, clock: Clock) -> None:
    c = connect("instaview", faults=Faults(rate_limit=(1000, 3)))
    assert [c.get("/agents").status_code for _ in range(4)] == [200, 200, 200, 429]
    clock.now += 3600
    assert c.get("/agents").status_code == 200
    unlimited = connect("instaview", key="sandbox-u", faults=Faults(rate_limit=(0, 0)))
    answers = [unlimited.get("/agents") for _ in range(100)]
    assert {a.status_code for a in answers} == {200}
    assert "X-RateLimit-Limit-Minute" not in answers[0].headers


def _agent(c: httpx.Client, **changes: Any) -> str:
    agent: str = c.post("/agents", json={**seed("instaview", "agent"), **changes}).json()["id"]
    return agent


def _session(c: httpx.Client, **body: Any) -> httpx.Response:
    return c.post("/interviews", json=body)


def test_job_rules_for_existing_candidates(connect: Connect) -> None:
    c = connect("instaview", faults=Faults(rate_limit=(0, 0)))
    agent, generic = _agent(c), _agent(c, focus="GENERIC")
    job = {"title": "Backend"}
    first = _session(c, candidate=CANDIDATE, job=job, agentId=agent).json()
    candidate, job1 = first["candidateId"], first["jobId"]
    # one job: it is used without asking
    assert _session(c, candidateId=candidate, agentId=agent).json()["jobId"] == job1
    second = _session(c, candidateId=candidate, job={"title": "Frontend"}, agentId=agent).json()
    assert second["jobId"] not in (None, job1)
    refused = _session(c, candidateId=candidate, agentId=agent)
    assert refused.status_code == 400
    assert refused.json()["message"] == [
        "Job ID must be provided when candidate has multiple job assignments"
    ]
    assert _session(c, candidateId=candidate, jobId=job1, agentId=agent).status_code == 201
    assert _session(c, candidateId=candidate, agentId=generic).status_code == 400
    talent_pool = _session(c, candidate=CANDIDATE, agentId=generic)
    assert talent_pool.status_code == 201 and talent_pool.json()["jobId"] is None
    stranger = _session(c, candidate=CANDIDATE, agentId=agent, jobId=first["id"])
    assert stranger.status_code == 400  # not a job of this company


def test_inline_agent_and_listing_filters(connect: Connect) -> None:
    c = connect("instaview", faults=Faults(rate_limit=(0, 0)))
    made = _session(c, candidate=CANDIDATE, job={"title": "x"}, agent=seed("instaview", "agent"))
    session = made.json()
    agent = c.get(f"/agents/{session['agentId']}").json()
    assert agent["name"] == "Senior Developer Interview"
    assert session["durationMinutes"] == 30 and session["status"] == "SCHEDULED"
    bad_agent = _session(
        c, candidate=CANDIDATE, job={"title": "x"}, agent={"name": "n", "focus": "X"}
    )
    assert bad_agent.status_code == 400
    other = _agent(c)
    for _ in range(3):
        _session(c, candidateId=session["candidateId"], agentId=other)
    query = {"candidateId": session["candidateId"], "agentId": other, "limit": 2, "page": 2}
    page = c.get("/interviews", params=query).json()["data"]
    assert len(page["items"]) == 1
    assert page["pagination"] == {
        "total": 3, "page": 2, "limit": 2, "totalPages": 2,
        "hasNextPage": False, "hasPreviousPage": True,
    }  # fmt: skip


def test_patch_changes_only_what_is_sent(connect: Connect, clock: Clock) -> None:
    c = connect("instaview", faults=Faults(rate_limit=(0, 0)))
    agent = c.post("/agents", json=seed("instaview", "agent")).json()
    clock.now += 1
    patched = c.patch(f"/agents/{agent['id']}", json={"instructions": "I", "questions": ["Q"]})
    after = patched.json()
    assert after["instructions"] == "I" and after["questions"] == ["Q"]
    assert after["voiceId"] == "ALEX" and after["updatedAt"] > agent["updatedAt"]
    assert c.get(f"/agents/{agent['id']}").json() == after
    assert c.patch(f"/agents/{agent['id']}", json={"focus": "NOPE"}).status_code == 400
    # the documentation gives no null to clear a field with: refused, nothing changed
    cleared = c.patch(f"/agents/{agent['id']}", json={"voiceId": None})
    assert cleared.status_code == 400 and "voiceId" in str(cleared.json()["message"])
    assert c.get(f"/agents/{agent['id']}").json() == after


def test_jobs_and_candidates_crud_with_metadata(connect: Connect) -> None:
    c = connect("instaview", faults=Faults(rate_limit=(0, 0)))
    job = c.post("/jobs", json={"title": "T", "metadata": {"interform": "m"}})
    assert job.status_code == 201
    job_id = job.json()["id"]
    person = {"firstName": "A", "lastName": "B", "email": "a@b.c", "gdprExpiryDate": "2030-01-01"}
    made = c.post("/candidates", json={**person, "jobId": job_id}).json()
    assert made["jobIds"] == [job_id]
    assert c.post("/candidates", json={**person, "jobId": made["id"]}).status_code == 400
    assert c.patch(f"/jobs/{job_id}", json={"benefits": None}).status_code == 400
    assert c.patch(f"/jobs/{job_id}", json={"benefits": "Gym"}).json()["benefits"] == "Gym"
    assert c.patch(f"/candidates/{made['id']}", json={"lastName": "C"}).json()["lastName"] == "C"
    assert [j["id"] for j in c.get("/jobs").json()["data"]["items"]] == [job_id]
    assert c.get("/candidates", params={"search": "a@b.c"}).json()["data"][0]["id"] == made["id"]
    big = {f"k{i}": i for i in range(60)}
    assert c.patch(f"/jobs/{job_id}", json={"metadata": big}).status_code == 400
    assert c.delete(f"/candidates/{made['id']}").status_code == 200
    assert c.delete(f"/jobs/{job_id}").status_code == 200
    assert c.get(f"/jobs/{job_id}").status_code == 404
