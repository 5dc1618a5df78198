"""The emulators against the platforms' published shapes: the seeds' own example requests
get answers that validate against the response schemas the adapters read with, and each
documented class of bad request gets the documented status and error envelope."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from interform import platforms
from interform.providers import schemas
from interform.sandbox import registry
from interform.sandbox.emulator import missing_schemas

from .support import NOW, Clock, Connect, schema_errors, seed


def valid(name: str, response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, response.text
    body = response.json()
    assert schema_errors(name, body) == []
    return body


def test_every_route_names_a_shipped_request_schema(tmp_path: Any) -> None:
    for platform, cls in ((p, registry.emulator_class(p)) for p in platforms.names()):
        assert missing_schemas(cls(tmp_path)) == [], platform


def test_every_shipped_request_schema_is_enforced_by_a_route(tmp_path: Any) -> None:
    used = {
        r.schema
        for cls in (registry.emulator_class(p) for p in platforms.names())
        for r in cls(tmp_path).routes()
    }
    shipped = {n for n in schemas.names() if n.endswith(".request")}
    assert shipped - used == set()


# ---------------------------------------------------------------------- micro1


def test_micro1_seed_examples(connect: Connect) -> None:
    c = connect("micro1")
    body = seed("micro1", "create")
    created = valid("micro1.interview.create.response", c.post("/interview", json=body), 200)
    oid = created["data"]["interview_id"]
    assert created["data"]["invite_url"].endswith(f"?uid={oid}")
    valid(
        "micro1.interview.create.response",
        c.post("/custom/interview", json=seed("micro1", "create_custom")),
        200,
    )
    page = valid("micro1.interview.list.response", c.get("/interviews", params={"limit": 100}), 200)
    item = next(i for i in page["data"] if i["interview_id"] == oid)
    assert item["custom_questions"] == [
        {"question": "What are your strengths and weaknesses?", "time": 120, "type": "audio"}
    ]
    assert (item["interview_language"], item["selected_coding_language"]) == ("English", "Python")
    update = c.put(f"/interview/{oid}", json={**body, "interview_name": "Renamed"})
    valid("micro1.interview.update.response", update, 200)
    valid("micro1.interview.delete.response", c.delete(f"/interview/{oid}"), 200)


MICRO1_BAD = [
    ("no key", "POST", "/interview", {"interview_name": "x"}, None, 401, "Invalid API key"),
    ("missing field", "POST", "/interview", {"skills": []}, "sandbox-t", 400, "interview_name"),
    ("wrong enum", "POST", "/interview", {"interview_name": "x", "interview_language": "xx"},
     "sandbox-t", 400, "interview_language"),
    ("11 skills", "POST", "/interview", {"interview_name": "x", "skills": [{"name": "s"}] * 11},
     "sandbox-t", 400, "skills"),
    ("21 questions", "POST", "/interview",
     {"interview_name": "x", "custom_question_list": [{"question": "q", "time": 1}] * 21},
     "sandbox-t", 400, "custom_question_list"),
    ("5 minutes", "POST", "/interview",
     {"interview_name": "x", "custom_question_list": [{"question": "q", "time": 5}]},
     "sandbox-t", 400, "time"),
    ("custom without questions", "POST", "/custom/interview", {"interview_name": "x"},
     "sandbox-t", 400, "custom_question_list"),
    ("unknown id (PUT)", "PUT", "/interview/nope", {"interview_name": "x"}, "sandbox-t", 400,
     "not found"),
    ("unknown id (DELETE)", "DELETE", "/interview/nope", None, "sandbox-t", 400, "not found"),
]  # fmt: skip


@pytest.mark.parametrize("case", MICRO1_BAD, ids=[c[0] for c in MICRO1_BAD])
def test_micro1_bad_requests(connect: Connect, case: tuple[Any, ...]) -> None:
    _, method, path, body, key, status, words = case
    answer = valid(
        "micro1.error.response", connect("micro1", key).request(method, path, json=body), status
    )
    assert answer["status"] is False
    assert words.lower() in answer["message"].lower()


# ---------------------------------------------------------------------- JobMojito


def test_jobmojito_seed_examples(connect: Connect) -> None:
    c = connect("jobmojito")
    created = c.post("/job-interview-create-from-array", json=seed("jobmojito", "create"))
    answer = valid("jobmojito.interview.create.response", created, 200)
    assert answer["embed_id"] and answer["embed_signing_key"]  # is_embedded: true
    oid = answer["interview_def_set_id"]
    got = valid(
        "jobmojito.interview.get.response",
        c.get("/job-interview-get", params={"position_id": oid}),
        200,
    )
    first, second = got["questions"]
    assert second["conditional_question_main_id"] == first["id"] != "q1"
    assert got["result_scoring"]["max_retries"] == 1
    assert got["creation_parameters"]["interview_tone"] == "professional"
    update = c.post(
        "/job-interview-update", json={"position_id": oid, "questions": got["questions"]}
    )
    diff = valid("jobmojito.interview.update.response", update, 200)["questions_diff"]
    assert diff["kept"] == [first["id"], second["id"]] and not diff["added"]
    listed = c.get("/merchant-interview-list", params={"limit": 10})
    assert [i["id"] for i in valid("jobmojito.interview.list.response", listed, 200)["data"]] == [
        oid
    ]
    valid("jobmojito.avatar.list.response", c.get("/merchant-avatar-list"), 200)
    for state in ({"status": "deleted"}, {"is_embedded": True}):
        done = c.post("/job-interview-set-state", json={"position_id": oid, **state})
        valid("jobmojito.interview.set-state.response", done, 200)


def _jwt(claims: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def _create(**changes: Any) -> dict[str, Any]:
    return {**seed("jobmojito", "create"), **changes}


UNKNOWN = "00000000-0000-4000-8000-000000000000"
JOBMOJITO_BAD = [
    ("no token", "POST", "/job-interview-create-from-array", _create(), None, 401, None),
    ("not bearer", "GET", "/merchant-interview-list", None, "Basic abc", 401, None),
    ("not a JWT", "GET", "/merchant-interview-list", None, "Bearer nonsense", 401, None),
    ("expired JWT", "GET", "/merchant-interview-list", None,
     f"Bearer {_jwt({'sub': 'u', 'exp': int(NOW) - 60})}", 401, None),
    ("missing field", "POST", "/job-interview-create-from-array",
     {k: v for k, v in _create().items() if k != "questions"}, "t", 422, "questions"),
    ("wrong enum", "POST", "/job-interview-create-from-array", _create(status="live"), "t", 422,
     "status"),
    ("attempts 21", "POST", "/job-interview-create-from-array", _create(interview_attempts=21),
     "t", 422, "interview_attempts"),
    ("random subset 0.95", "POST", "/job-interview-create-from-array",
     _create(questions_random_subset=0.95), "t", 422, "questions_random_subset"),
    ("parent after child", "POST", "/job-interview-create-from-array",
     _create(questions=[{"question": "a", "conditional_question_main_id": "later"},
                        {"question": "b", "id": "later"}]), "t", 422, "questions"),
    ("unknown template", "POST", "/job-interview-create-from-array",
     _create(interview_template_id=UNKNOWN), "t", 500, "interview_template_id"),
    ("unknown id (get)", "GET", f"/job-interview-get?position_id={UNKNOWN}", None, "t", 404, None),
    ("unknown id (update)", "POST", "/job-interview-update", {"position_id": UNKNOWN, "name": "x"},
     "t", 404, None),
    ("unknown id (set-state)", "POST", "/job-interview-set-state",
     {"position_id": UNKNOWN, "status": "deleted"}, "t", 500, "position_id"),
    ("language change", "POST", "/job-interview-update",
     {"position_id": UNKNOWN, "mojito_language_code": "de"}, "t", 422, "mojito_language_code"),
    ("neither status nor embed", "POST", "/job-interview-set-state", {"position_id": UNKNOWN},
     "t", 422, None),
    ("limit 1001", "GET", "/merchant-interview-list?limit=1001", None, "t", 422, "limit"),
]  # fmt: skip


@pytest.mark.parametrize("case", JOBMOJITO_BAD, ids=[c[0] for c in JOBMOJITO_BAD])
def test_jobmojito_bad_requests(connect: Connect, clock: Clock, case: tuple[Any, ...]) -> None:
    _, method, path, body, authorization, status, field = case
    client = connect("jobmojito", key=None)
    headers = (
        {
            "Authorization": f"Bearer sandbox-{authorization}"
            if authorization == "t"
            else authorization
        }
        if authorization
        else {}
    )
    answer = valid(
        "jobmojito.error.response", client.request(method, path, json=body, headers=headers), status
    )
    if field:
        assert field in answer.get("name", "") + answer["error"]


# ---------------------------------------------------------------------- Instaview


def _instaview_ids(c: httpx.Client) -> dict[str, str]:
    """Fill the seeds' placeholders with objects the account really has."""
    agent = c.post("/agents", json=seed("instaview", "agent")).json()
    generic = c.post("/agents", json={**seed("instaview", "agent"), "focus": "GENERIC"}).json()
    first = c.post(
        "/interviews",
        json=_fill(seed("instaview", "inline_candidate_inline_job"), {"agent": agent["id"]}),
    )
    session = first.json()
    return {
        "agent": agent["id"],
        "generic-agent": generic["id"],
        "candidate": session["candidateId"],
        "job": session["jobId"],
    }


def _fill(body: Any, ids: dict[str, str]) -> Any:
    tomorrow = datetime.fromtimestamp(NOW, timezone.utc) + timedelta(days=1)
    text = json.dumps(body).replace(
        '"<tomorrow>"', json.dumps(tomorrow.isoformat().replace("+00:00", "Z"))
    )
    for name, value in ids.items():
        text = text.replace(f'"<{name}>"', json.dumps(value))
    return json.loads(text)


def test_instaview_seed_examples(connect: Connect) -> None:
    c = connect("instaview")
    agent = valid(
        "instaview.agent.create.response", c.post("/agents", json=seed("instaview", "agent")), 201
    )
    valid("instaview.agent.get.response", c.get(f"/agents/{agent['id']}"), 200)
    valid("instaview.agent.list.response", c.get("/agents"), 200)
    patched = c.patch(f"/agents/{agent['id']}", json={"duration": 20})
    assert valid("instaview.agent.update.response", patched, 200)["duration"] == 20
    ids = _instaview_ids(c)
    for name in ("inline_candidate_with_job", "existing_candidate", "immediate", "test_mode"):
        made = c.post("/interviews", json=_fill(seed("instaview", name), ids))
        session = valid("instaview.session.create.response", made, 201)
        valid("instaview.session.get.response", c.get(f"/interviews/{session['id']}"), 200)
    assert session["status"] == "COMPLETED" and session["durationMinutes"] == 5  # isTest
    listed = c.get("/interviews", params={"candidateId": ids["candidate"]})
    assert len(valid("instaview.session.list.response", listed, 200)["data"]["items"]) == 3
    assert c.delete(f"/interviews/{session['id']}").json() is True
    assert c.delete(f"/agents/{agent['id']}").json() is True
    assert c.delete(f"/agents/{agent['id']}").status_code == 404


def _session(**changes: Any) -> dict[str, Any]:
    body = _fill(seed("instaview", "existing_candidate"), {})
    return {k: v for k, v in {**body, **changes}.items() if v is not None}


def test_instaview_bad_requests(connect: Connect, clock: Clock) -> None:
    c = connect("instaview")
    ids = _instaview_ids(c)

    def fill(body: Any) -> Any:
        return _fill(body, ids)

    later = datetime.fromtimestamp(NOW + 31 * 86400, timezone.utc).isoformat()
    cases: list[tuple[str, httpx.Response, int, str]] = [
        ("no key", connect("instaview", key=None).get("/agents"), 401, "INVALID_API_KEY"),
        (
            "missing name",
            c.post("/agents", json={"type": "ONLINE", "focus": "SCREENING", "language": "EN"}),
            400,
            "name",
        ),
        (
            "wrong enum",
            c.post("/agents", json={**seed("instaview", "agent"), "focus": "CHAT"}),
            400,
            "focus",
        ),
        (
            "XOR (the seed's example)",
            c.post("/interviews", json=seed("instaview", "kitchen_sink")),
            400,
            "mutually exclusive",
        ),
        (
            "no candidate",
            c.post("/interviews", json={"agentId": ids["agent"]}),
            400,
            "candidateId or candidate",
        ),
        (
            "inline candidate without contact",
            c.post(
                "/interviews",
                json=fill(
                    {
                        "candidate": {
                            "firstName": "A",
                            "lastName": "B",
                            "gdprExpiryDate": "2026-01-01",
                        },
                        "agentId": "<generic-agent>",
                    }
                ),
            ),
            400,
            "candidate",
        ),
        (
            "scheduled past 30 days",
            c.post("/interviews", json=fill(_session(scheduleTime=later))),
            400,
            "30 days",
        ),
        (
            "scheduled in the past",
            c.post("/interviews", json=fill(_session(scheduleTime="2020-01-01T00:00:00Z"))),
            400,
            "future",
        ),
        (
            "GENERIC agent with a job",
            c.post("/interviews", json=fill(_session(agentId="<generic-agent>"))),
            400,
            "GENERIC",
        ),
        (
            "job needed",
            c.post(
                "/interviews",
                json=fill(
                    {
                        "candidate": {
                            "firstName": "A",
                            "lastName": "B",
                            "email": "a@b.c",
                            "gdprExpiryDate": "2026-01-01",
                        },
                        "agentId": "<agent>",
                    }
                ),
            ),
            400,
            "job is required",
        ),
        (
            "unknown agent",
            c.post("/interviews", json=fill(_session(agentId=UNKNOWN))),
            404,
            "RESOURCE_NOT_FOUND",
        ),
        (
            "unknown candidate",
            c.post("/interviews", json=fill(_session(candidateId=UNKNOWN))),
            404,
            "RESOURCE_NOT_FOUND",
        ),
        ("unknown agent (get)", c.get(f"/agents/{UNKNOWN}"), 404, "RESOURCE_NOT_FOUND"),
        ("bad uuid", c.get("/agents/nope"), 400, "uuid"),
        ("list without candidateId", c.get("/interviews"), 400, "candidateId"),
        (
            "51 metadata keys",
            c.post("/interviews", json=fill(_session(metadata={f"k{i}": i for i in range(51)}))),
            400,
            "metadata",
        ),
        (
            "metadata 6 deep",
            c.post(
                "/interviews",
                json=fill(_session(metadata={"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}})),
            ),
            400,
            "metadata",
        ),
        ("limit 101", c.get("/agents", params={"limit": 101}), 400, "limit"),
    ]
    for name, response, status, words in cases:
        answer = valid("instaview.error.response", response, status)
        assert words in json.dumps(answer), name


# ---------------------------------------------------------------------- Versive


def test_versive_seed_examples(connect: Connect) -> None:
    c = connect("versive")
    study = valid(
        "versive.study.create.response",
        c.post("/api/v1/studies", json=seed("versive", "study")),
        200,
    )
    updated = c.put(f"/api/v1/studies/{study['id']}", json={"config": {"primaryColor": "#000000"}})
    assert valid("versive.study.update.response", updated, 200)["config"] == {
        "primaryColor": "#000000"
    }
    assert (
        valid(
            "versive.study.update.response", c.put(f"/api/v1/studies/{study['id']}", json={}), 200
        )["title"]
        == study["title"]
    )
    made = c.post(
        "/api/v1/interviews", json=_fill(seed("versive", "create"), {"study": study["id"]})
    )
    session = valid("versive.session.create.response", made, 200)
    assert session["link"].startswith(f"https://getversive.com/s/{study['id']}?vid=")
    got = valid("versive.session.get.response", c.get(f"/api/v1/interviews/{session['id']}"), 200)
    assert (got["status"], got["is_archived"], got["link"]) == ("open", False, session["link"])


def test_versive_bad_requests(connect: Connect) -> None:
    c = connect("versive")
    cases = [
        (
            connect("versive", key=None).post("/api/v1/studies", json={"title": "x"}),
            401,
            "Not authenticated",
        ),
        (
            connect("versive", key=None).get(
                f"/api/v1/interviews/{UNKNOWN}", headers={"Authorization": "Token abc"}
            ),
            401,
            "Invalid authentication credentials",
        ),
        (c.post("/api/v1/studies", json={"description": "x"}), 422, "field required"),
        (c.post("/api/v1/studies", json={"title": 5}), 422, "title"),
        (c.post("/api/v1/studies", json={"title": "x", "mode": ""}), 422, "mode"),
        (c.post("/api/v1/interviews", json={"title": "x"}), 422, "study_id"),  # prose: required
        (c.post("/api/v1/interviews", json={"study_id": "s", "colour": "red"}), 422, "colour"),
        (c.put(f"/api/v1/studies/{UNKNOWN}", json={}), 404, "Study not found"),
        (c.put(f"/api/v1/studies/{UNKNOWN}", json={"title": "x"}), 422, "title"),
        (c.post("/api/v1/interviews", json={"study_id": "study_123"}), 404, "Study not found"),
        (c.get(f"/api/v1/interviews/{UNKNOWN}"), 404, "Interview not found"),
    ]
    for response, status, words in cases:
        assert words in json.dumps(valid("versive.error.response", response, status))
    missing = c.post("/api/v1/studies", json={}).json()["detail"][0]
    assert missing == {
        "loc": ["body", "title"],
        "msg": "field required",
        "type": "value_error.missing",
    }
