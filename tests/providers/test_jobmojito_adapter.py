"""JobMojito adapter against a small stateful fake of its API (httpx.MockTransport).

Interviews are kept in `job-interview-get`'s shape (`interview_location`,
`result_scoring.max_retries`, `creation_parameters`, questions with real ids), so the
adapter's read-back normalisation is exercised for real. Every request body is checked
against our request schemas and every answer against our response schemas.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interform import secrets
from interform.model import languages
from interform.model.definition import Definition
from interform.model.project import Target
from interform.plan.matching import find
from interform.providers import schemas
from interform.providers.base import DesiredResource, Policy, Provider, Removal
from interform.providers.errors import (
    AuthError,
    NotFound,
    ProviderError,
    RequestRejected,
    ServerError,
    Unsupported,
)
from interform.providers.factory import open_provider
from interform.providers.jobmojito import listing
from interform.providers.jobmojito.provider import JobMojito

from .adapter_support import assert_valid, entry

if TYPE_CHECKING:
    from .conftest import FakeClock

TOKEN = "eyJhbGciOiJIUzI1NiJ9.jm-test-payload.c0ffee-signature"
INTERACTIVE = "46b98d37-1557-4391-beca-03037ead19f2"
OFFLINE = "0f5e3c1a-8d2b-4e6f-9a7c-3b1d5e7f9a20"
TEMPLATES = {INTERACTIVE: "interactive_heygen", OFFLINE: "offline_heygen"}
QUESTION_FIELDS = (
    "question", "duration", "label", "is_conditional", "is_without_scoring",
    "is_candidate_asking_recruiter", "is_expert", "is_multiple_choice",
    "question_alternatives", "conditional_question_main_id", "knowledge_base_id",
    "external_id",
)  # fmt: skip
RENAMED = {"location": "interview_location", "description_long": "interview_description_long"}
PARAMETERS = ("interview_type", "interview_tone", "seniority_level", "hiring_for_company")
STEPS = ("welcome_message", "thank_you_message", "instructional_video", "is_embedded")
PARENT = "conditional_question_main_id"


class FakeJobMojito:
    def __init__(self) -> None:
        self.interviews: dict[str, dict[str, Any]] = {}
        self.requests: list[httpx.Request] = []
        self.outages: list[httpx.Response | Exception] = []
        self.clock = 0

    # ------------------------------------------------------------------ dispatch

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.outages:
            outage = self.outages.pop(0)
            if isinstance(outage, Exception):
                raise outage
            return outage
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return error(401, "Invalid JWT")
        body: dict[str, Any] = json.loads(request.content or b"{}")
        route = (request.method, request.url.path.rsplit("/", 1)[-1])
        handlers = {
            ("POST", "job-interview-create-from-array"): lambda: self.create(body),
            ("GET", "job-interview-get"): lambda: self.get(request.url.params["position_id"]),
            ("POST", "job-interview-update"): lambda: self.update(body),
            ("POST", "job-interview-set-state"): lambda: self.set_state(body),
            ("GET", "merchant-interview-list"): lambda: self.listing(request.url.params),
            # a merchant token, not an administrator's: it has no sub-merchants to list
            ("GET", "merchant-sub-merchant-list"): lambda: error(403, "Forbidden"),
        }
        handler = handlers.get(route)
        return handler() if handler else error(404, "Requested function was not found")

    def sent(self, path: str) -> list[Any]:
        """Bodies (or query params) of every request to `path`, in order."""
        return [
            json.loads(r.content) if r.content else dict(r.url.params)
            for r in self.requests
            if r.url.path.endswith(path)
        ]

    # ------------------------------------------------------------------ endpoints

    def create(self, body: dict[str, Any]) -> httpx.Response:
        assert_valid("jobmojito.interview.create.request", body)
        if body["interview_template_id"] not in TEMPLATES:
            return error(500, "interview template not found", "interview_template_id")
        oid = str(uuid.uuid4())
        self.clock += 1
        stamp = f"2026-11-23T10:00:{self.clock:02d}Z"
        record: dict[str, Any] = {
            name: None for name in schemas.load("jobmojito.interview.get.response")["required"]
        }
        record.update(is_multistage=False, created_at=stamp, questions=[], steps={})
        record.update(creation_parameters=None, result_scoring=None)
        self.write(record, body)
        record["questions"] = self.questions([], body["questions"])
        record["id"] = oid
        self.interviews[oid] = record
        answer: dict[str, Any] = {"interview_def_set_id": oid}
        if body.get("is_embedded"):
            answer.update(embed_id=f"embed-{oid[:8]}", embed_signing_key=f"sk-{oid}")
        return ok("jobmojito.interview.create.response", answer)

    def get(self, oid: str) -> httpx.Response:
        record = self.interviews.get(oid)
        if record is None:
            return error(404, "interview not found", "position_id")
        shown = {k: v for k, v in record.items() if k not in ("id", "steps")}
        shown["interview_template_type"] = TEMPLATES[record["interview_template_id"]]
        return ok("jobmojito.interview.get.response", shown)

    def update(self, body: dict[str, Any]) -> httpx.Response:
        assert_valid("jobmojito.interview.update.request", body)
        record = self.interviews.get(body["position_id"])
        if record is None:
            return error(404, "interview not found", "position_id")
        answer: dict[str, Any] = {"position_id": record["id"], "is_multistage": False}
        if "questions" in body:
            offline = TEMPLATES[record["interview_template_id"]].startswith("offline_")
            if offline and record["status"] == "active":
                return error(422, "set the interview to draft before changing questions")
            record["questions"] = self.questions(record["questions"], body["questions"])
        self.write(record, {k: v for k, v in body.items() if k != "questions"})
        answer["updated_fields"] = sorted(k for k in body if k != "position_id")
        return ok("jobmojito.interview.update.response", answer)

    def set_state(self, body: dict[str, Any]) -> httpx.Response:
        assert_valid("jobmojito.interview.set-state.request", body)
        record = self.interviews.get(body["position_id"])
        if record is None:
            return error(500, "interview not found", "position_id")
        if body.get("status"):
            record["status"] = body["status"]
        self.touch(record)
        if body.get("is_embedded"):
            reply = {"embed_id": f"embed-{record['id'][:8]}", "embed_signing_key": "sk-again-1234"}
            return ok("jobmojito.interview.set-state.response", reply)
        return ok("jobmojito.interview.set-state.response", {"success": True})

    def listing(self, params: httpx.QueryParams) -> httpx.Response:
        limit, offset = int(params.get("limit", 50)), int(params.get("offset", 0))
        text = params.get("filter_text", "").lower()
        kind = params.get("type", "interview")
        found = [
            r
            for r in sorted(self.interviews.values(), key=lambda r: r["updated_at"], reverse=True)
            if text in r["name"].lower() and r["type"] == kind
        ]
        page = [
            {"id": r["id"], "name": r["name"], "type": r["type"], "status": r["status"]}
            for r in found[offset : offset + limit]
        ]
        more = offset + len(page) < len(found)
        pagination = {"total": len(found), "limit": limit, "offset": offset, "has_more": more}
        return ok("jobmojito.interview.list.response", {"data": page, "pagination": pagination})

    # ------------------------------------------------------------------ storage

    def write(self, record: dict[str, Any], body: dict[str, Any]) -> None:
        for name, value in body.items():
            if name in PARAMETERS:
                record["creation_parameters"] = {
                    **(record["creation_parameters"] or {}),
                    name: value,
                }
            elif name == "interview_attempts":
                record["result_scoring"] = {"max_retries": value}
            elif name in STEPS:
                record["steps"][name] = value
            elif name not in ("position_id", "regenerate_candidate_expectations"):
                record[RENAMED.get(name, name)] = value
        self.touch(record)

    def touch(self, record: dict[str, Any]) -> None:
        self.clock += 1
        record["updated_at"] = f"2026-11-23T10:00:{self.clock:02d}Z"

    def questions(self, stored: list[dict[str, Any]], sent: list[dict[str, Any]]) -> list[Any]:
        """Matched on external_id: same content keeps the real id, anything else is new."""
        by_ext = {q["external_id"]: q for q in stored if q.get("external_id")}
        handles: dict[str, str] = {}
        out = []
        for question in sent:
            fields = {f: question.get(f) for f in QUESTION_FIELDS}
            parent = fields[PARENT]
            if parent is not None:
                fields[PARENT] = handles[parent]
            old = by_ext.get(question.get("external_id") or "")
            same = old is not None and all(old.get(f) == fields[f] for f in QUESTION_FIELDS)
            qid = old["id"] if same and old else str(uuid.uuid4())
            handles[question.get("id") or qid] = qid
            out.append({"id": qid, **fields})
        return out


def ok(schema: str, body: dict[str, Any]) -> httpx.Response:
    assert_valid(schema, body)
    return httpx.Response(200, json=body)


def error(status: int, message: str, name: str | None = None) -> httpx.Response:
    body = {"error": message, **({"name": name} if name else {})}
    assert_valid("jobmojito.error.response", body)
    return httpx.Response(status, json=body)


# ---------------------------------------------------------------------- helpers

MARKER = "interform:acme:engineering/backend@jm"


def definition(**fields: Any) -> Definition:
    base: dict[str, Any] = {
        "title": "Senior Backend Engineer",
        "description": "Backend role",
        "questions": [
            {"id": "lead", "text": "Tell us about a project you led.", "answer_time": "2m"},
            {"text": "What would you do differently?", "follow_up_to": "lead"},
        ],
    }
    settings = {"interview_template_id": INTERACTIVE, **fields.pop("jobmojito", {})}
    return Definition.model_validate({**base, "jobmojito": settings, **fields})


def desired(defn: Definition | None = None) -> DesiredResource:
    (res,) = JobMojito.render(
        defn or definition(), "engineering/backend", "jm", "interviews/engineering/backend.yaml"
    )
    return res


def connect(fake: FakeJobMojito, clock: FakeClock, token: str = TOKEN) -> Provider:
    return open_provider(
        "jm",
        Target(provider="jobmojito"),
        transport=httpx.MockTransport(fake),
        credential=token,
        sleep=clock.sleep,
        clock=clock,
    )


@pytest.fixture
def fake() -> FakeJobMojito:
    return FakeJobMojito()


@pytest.fixture
def jm(fake: FakeJobMojito, clock: FakeClock) -> Iterator[Provider]:
    provider = connect(fake, clock)
    yield provider
    provider.http.close()


def changed(before: DesiredResource, after: DesiredResource) -> list[str]:
    keys = set(before.body) | set(after.body)
    return sorted(k for k in keys if before.body.get(k) != after.body.get(k))


# ---------------------------------------------------------------------- create / read


def test_create_sends_the_marker_as_a_tag_and_reads_back_without_a_diff(
    jm: Provider, fake: FakeJobMojito
) -> None:
    res = desired(definition(jobmojito={"interview_attempts": 3, "description_long": "More"}))
    applied = jm.create(res, MARKER, None)
    (sent,) = fake.sent("/job-interview-create-from-array")
    assert sent["tags"] == [MARKER] and "code" not in sent
    assert {k: v for k, v in sent.items() if k != "tags"} == res.body
    stored = fake.interviews[applied.remote_id]
    assert stored["interview_location"] == "remote"
    assert stored["result_scoring"] == {"max_retries": 3}
    assert stored["questions"][1][PARENT] == stored["questions"][0]["id"]
    state = jm.read(entry(res, applied))
    assert state is not None
    assert state.body == res.body
    assert state.marker == MARKER


def test_create_without_an_id_is_uncertain(jm: Provider, fake: FakeJobMojito) -> None:
    fake.outages = [httpx.Response(200, json={})]
    with pytest.raises(ServerError) as caught:
        jm.create(desired(), MARKER, None)
    assert caught.value.uncertain


def test_create_is_never_repeated_after_a_server_error(jm: Provider, fake: FakeJobMojito) -> None:
    fake.outages = [httpx.Response(502, text="bad gateway")]
    with pytest.raises(ServerError) as caught:
        jm.create(desired(), MARKER, None)
    assert caught.value.uncertain
    assert len(fake.sent("/job-interview-create-from-array")) == 1


def test_deleted_or_missing_interviews_read_as_gone(jm: Provider, fake: FakeJobMojito) -> None:
    res = desired()
    prior = entry(res, jm.create(res, MARKER, None))
    fake.interviews[prior.remote_id or ""]["status"] = "deleted"
    assert jm.read(prior) is None
    del fake.interviews[prior.remote_id or ""]
    assert jm.read(prior) is None


def test_a_field_changed_in_the_dashboard_shows_in_the_read_back(
    jm: Provider, fake: FakeJobMojito
) -> None:
    res = desired()
    prior = entry(res, jm.create(res, MARKER, None))
    fake.interviews[prior.remote_id or ""]["interview_location"] = "Berlin"
    state = jm.read(prior)
    assert state is not None
    assert state.body == {**res.body, "location": "Berlin"}


# ---------------------------------------------------------------------- update


def test_update_sends_only_the_changed_fields_and_keeps_question_records(
    jm: Provider, fake: FakeJobMojito
) -> None:
    before = desired()
    applied = jm.create(before, MARKER, None)
    old_ids = [q["id"] for q in fake.interviews[applied.remote_id]["questions"]]
    after = desired(
        definition(
            title="Staff Backend Engineer",
            questions=[
                {"id": "lead", "text": "Tell us about a project you led.", "answer_time": "2m"},
                {"text": "What would you do differently?", "follow_up_to": "lead"},
                {"text": "Why us?"},
            ],
        )
    )
    result = jm.update(after, entry(before, applied), changed(before, after))
    assert result.remote_id == applied.remote_id
    (sent,) = fake.sent("/job-interview-update")
    assert set(sent) == {"position_id", "name", "questions", "regenerate_candidate_expectations"}
    assert [q["external_id"] for q in sent["questions"]] == [
        q["external_id"] for q in after.body["questions"]
    ]
    new_ids = [q["id"] for q in fake.interviews[applied.remote_id]["questions"]]
    assert new_ids[:2] == old_ids, "unchanged questions keep their records"
    state = jm.read(entry(after, applied))
    assert state is not None and state.body == after.body


def test_removing_a_setting_clears_it_with_null(jm: Provider, fake: FakeJobMojito) -> None:
    before = desired(definition(jobmojito={"interview_department": "Platform"}))
    applied = jm.create(before, MARKER, None)
    after = desired()
    jm.update(after, entry(before, applied), changed(before, after))
    (sent,) = fake.sent("/job-interview-update")
    assert sent == {"position_id": applied.remote_id, "interview_department": None}
    state = jm.read(entry(after, applied))
    assert state is not None and state.body == after.body


def test_settings_that_cannot_be_cleared_are_left_and_not_reported_as_drift(
    jm: Provider, fake: FakeJobMojito
) -> None:
    before = desired(definition(jobmojito={"result_view": "full", "interview_attempts": 2}))
    applied = jm.create(before, MARKER, None)
    after = desired()
    jm.update(after, entry(before, applied), changed(before, after))
    assert fake.sent("/job-interview-update") == [], "nothing the endpoint accepts changed"
    assert fake.interviews[applied.remote_id]["result_view"] == "full"
    state = jm.read(entry(after, applied))
    assert state is not None and state.body == after.body


def test_questions_of_an_active_offline_interview_change_as_a_draft(
    jm: Provider, fake: FakeJobMojito
) -> None:
    before = desired(definition(jobmojito={"interview_template_id": OFFLINE}))
    applied = jm.create(before, MARKER, None)
    after = desired(
        definition(jobmojito={"interview_template_id": OFFLINE}, questions=[{"text": "Only one"}])
    )
    jm.update(after, entry(before, applied), ["questions"])
    states = [body["status"] for body in fake.sent("/job-interview-set-state")]
    assert states == ["draft", "active"]
    assert fake.interviews[applied.remote_id]["status"] == "active"
    assert [q["question"] for q in fake.interviews[applied.remote_id]["questions"]] == ["Only one"]


def test_a_failed_draft_update_puts_the_interview_back_live(
    jm: Provider, fake: FakeJobMojito
) -> None:
    before = desired(definition(jobmojito={"interview_template_id": OFFLINE}))
    applied = jm.create(before, MARKER, None)
    original = fake.update
    # the fake refuses this one update (mypy forbids replacing a method)
    fake.update = lambda body: error(422, "questions[0].question must not be empty")  # type: ignore[method-assign]
    after = desired(
        definition(jobmojito={"interview_template_id": OFFLINE}, questions=[{"text": "Only one"}])
    )
    with pytest.raises(RequestRejected, match="must not be empty"):
        jm.update(after, entry(before, applied), ["questions"])
    fake.update = original  # type: ignore[method-assign]
    assert [b["status"] for b in fake.sent("/job-interview-set-state")] == ["draft", "active"]
    assert fake.interviews[applied.remote_id]["status"] == "active"


def test_interactive_templates_update_questions_without_the_dance(
    jm: Provider, fake: FakeJobMojito
) -> None:
    before = desired()
    applied = jm.create(before, MARKER, None)
    after = desired(definition(questions=[{"text": "Only one"}]))
    jm.update(after, entry(before, applied), ["questions"])
    assert fake.sent("/job-interview-set-state") == []


def test_a_definition_kept_as_draft_stays_draft_after_the_dance(
    jm: Provider, fake: FakeJobMojito
) -> None:
    before = desired(definition(jobmojito={"interview_template_id": OFFLINE}))
    applied = jm.create(before, MARKER, None)
    after = desired(
        definition(
            jobmojito={"interview_template_id": OFFLINE, "status": "draft"},
            questions=[{"text": "Only one"}],
        )
    )
    jm.update(after, entry(before, applied), ["questions", "status"])
    assert [b["status"] for b in fake.sent("/job-interview-set-state")] == ["draft"]
    assert "status" not in fake.sent("/job-interview-update")[0]
    assert fake.interviews[applied.remote_id]["status"] == "draft"


def test_create_only_fields_refuse_an_in_place_update(jm: Provider) -> None:
    before = desired()
    applied = jm.create(before, MARKER, None)
    after = desired(definition(language="de"))
    assert JobMojito.kinds["interview"].policy("mojito_language_code") is Policy.REPLACE
    assert JobMojito.kinds["interview"].policy("welcome_message") is Policy.REPLACE
    with pytest.raises(Unsupported, match="mojito_language_code"):
        jm.update(after, entry(before, applied), ["mojito_language_code"])


# ---------------------------------------------------------------------- embed


def test_embed_key_is_a_secret_and_goes_to_the_sink(
    jm: Provider, fake: FakeJobMojito, caplog: pytest.LogCaptureFixture
) -> None:
    res = desired(definition(jobmojito={"embed": {"signing_key_file": ".secrets/jm.key"}}))
    assert res.sinks == {"embed_signing_key": ".secrets/jm.key"}
    with caplog.at_level(logging.DEBUG, logger="interform"):
        applied = jm.create(res, MARKER, None)
    key = applied.secrets["embed_signing_key"]
    assert applied.urls == {"embed_id": f"embed-{applied.remote_id[:8]}"}
    assert key not in json.dumps([applied.urls, applied.private, dict(res.body)])
    assert secrets.scrub(f"key {key}") == f"key {secrets.MASK}"
    assert all(key not in r.getMessage() for r in caplog.records)
    state = jm.read(entry(res, applied))
    assert state is not None and state.body == res.body


def test_embed_key_can_be_fetched_again(jm: Provider, fake: FakeJobMojito) -> None:
    res = desired()
    prior = entry(res, jm.create(res, MARKER, None))
    assert isinstance(jm, JobMojito)
    again = jm.embed_key(prior)
    assert again.secrets == {"embed_signing_key": "sk-again-1234"}
    assert fake.sent("/job-interview-set-state") == [
        {"position_id": prior.remote_id, "is_embedded": True}
    ]


def test_turning_embedding_on_and_off_goes_through_set_state(
    jm: Provider, fake: FakeJobMojito
) -> None:
    before = desired()
    applied = jm.create(before, MARKER, None)
    after = desired(definition(jobmojito={"embed": {"enabled": True}}))
    on = jm.update(after, entry(before, applied), changed(before, after))
    assert "embed_signing_key" in on.secrets and "embed_id" in on.urls
    assert fake.sent("/job-interview-update") == []
    off = jm.update(before, entry(after, on), changed(after, before))
    assert "embed_id" not in off.urls
    assert [b.get("is_embedded") for b in fake.sent("/job-interview-set-state")] == [True, False]


# ---------------------------------------------------------------------- removal


def test_remove_soft_deletes_by_default_and_tolerates_gone(
    jm: Provider, fake: FakeJobMojito
) -> None:
    res = desired()
    assert res.removal is None
    assert JobMojito.kinds["interview"].removal is Removal.SOFT_DELETE
    prior = entry(res, jm.create(res, MARKER, None))
    jm.remove(prior)
    assert fake.interviews[prior.remote_id or ""]["status"] == "deleted"
    del fake.interviews[prior.remote_id or ""]
    jm.remove(prior)  # set-state answers 500 "interview not found": already gone
    assert len(fake.sent("/job-interview-set-state")) == 2


def test_remove_archives_when_the_definition_says_so(jm: Provider, fake: FakeJobMojito) -> None:
    res = desired(definition(jobmojito={"removal": "archived"}))
    assert res.removal is Removal.ARCHIVE
    prior = entry(res, jm.create(res, MARKER, None))
    assert prior.removal == "archive"
    jm.remove(prior)
    assert fake.interviews[prior.remote_id or ""]["status"] == "archived"


# ---------------------------------------------------------------------- find / discover / fetch


def fill(fake: FakeJobMojito, jm: Provider, count: int, title: str = "Filler") -> None:
    for i in range(count):
        jm.create(desired(definition(title=f"{title} {i}")), f"interform:other:f{i}@jm", None)


def test_find_by_marker_through_pages(jm: Provider, fake: FakeJobMojito) -> None:
    res = desired()
    applied = jm.create(res, MARKER, None)
    fill(fake, jm, 3, title="Senior Backend Engineer (old)")
    jm.create(res, "interform:acme:other@jm", None)  # same name, another marker
    found = find(jm, res, MARKER, None, None)
    assert (found.status, found.remote_id) == ("found", applied.remote_id)
    assert found.state is not None and found.state.body == res.body
    (listed,) = fake.sent("/merchant-interview-list")
    assert listed["filter_text"] == "Senior Backend Engineer"


def test_find_skips_tracked_and_deleted_interviews(jm: Provider, fake: FakeJobMojito) -> None:
    res = desired()
    tracked = jm.create(res, MARKER, None)
    assert find(jm, res, MARKER, None, None, exclude={tracked.remote_id}).status == "absent"
    second = jm.create(res, MARKER, None)
    fake.interviews[second.remote_id]["status"] = "deleted"
    assert find(jm, res, MARKER, None, None, exclude={tracked.remote_id}).status == "absent"


def test_two_marked_copies_are_undecidable(jm: Provider) -> None:
    res = desired()
    first, second = jm.create(res, MARKER, None), jm.create(res, MARKER, None)
    found = find(jm, res, MARKER, None, None)
    assert found.status == "undecidable"
    assert first.remote_id in found.detail and second.remote_id in found.detail


def test_a_listing_that_stops_early_is_not_proof_of_absence(
    jm: Provider, fake: FakeJobMojito
) -> None:
    empty_but_more = {
        "data": [],
        "pagination": {"total": 5, "limit": 200, "offset": 0, "has_more": True},
    }
    fake.outages = [httpx.Response(200, json=empty_but_more)]
    assert find(jm, desired(), MARKER, None, None).status == "undecidable"


def test_listing_pages_with_limit_and_offset(
    jm: Provider, fake: FakeJobMojito, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    fill(fake, jm, 5)
    assert len(list(jm.discover("interview"))) == 5
    pages = [(p["limit"], p["offset"]) for p in fake.sent("/merchant-interview-list")]
    interview_pages = pages[:3]
    assert interview_pages == [("2", "0"), ("2", "2"), ("2", "4")]
    kinds = [p.get("type") for p in fake.sent("/merchant-interview-list")]
    assert {"coaching", "assessment"} <= set(kinds)


def test_discover_lists_only_interform_interviews(jm: Provider, fake: FakeJobMojito) -> None:
    ours = jm.create(desired(), MARKER, None)
    theirs = jm.create(desired(definition(title="Hand made")), "ATS-1234", None)
    found = {s.remote_id: s.marker for s in jm.discover("interview")}
    assert found == {ours.remote_id: MARKER}
    assert theirs.remote_id not in found


def test_fetch_reads_one_interview_for_import(jm: Provider, fake: FakeJobMojito) -> None:
    applied = jm.create(desired(), MARKER, None)
    state = jm.fetch("interview", applied.remote_id)
    assert state.body["name"] == "Senior Backend Engineer"
    with pytest.raises(NotFound, match="interview not found"):
        jm.fetch("interview", str(uuid.uuid4()))


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("status", "body", "error_class", "message"),
    [
        (422, {"error": "questions must not be empty", "name": "questions"}, RequestRejected, None),
        (404, {"error": "interview not found", "name": "position_id"}, NotFound, None),
        (500, {"error": "not authorized for this merchant"}, AuthError, None),
        (
            500,
            {"error": "interview template not found", "name": "interview_template_id"},
            RequestRejected,
            None,
        ),
        (401, {"error": "JWT expired"}, AuthError, "refresh"),
        (503, {"error": "temporarily unavailable"}, ServerError, None),
    ],
)
def test_documented_errors_carry_jobmojitos_message(
    jm: Provider,
    fake: FakeJobMojito,
    status: int,
    body: dict[str, Any],
    error_class: type[ProviderError],
    message: str | None,
) -> None:
    assert_valid("jobmojito.error.response", body)
    fake.outages = [httpx.Response(status, json=body)] * 6
    with pytest.raises(error_class) as caught:
        jm.fetch("interview", str(uuid.uuid4()))
    assert caught.value.message.startswith(body["error"])
    assert caught.value.code == body.get("name")
    if message:
        assert message in caught.value.message
    retried = status == 503
    assert len(fake.requests) == (6 if retried else 1)


def test_expired_token_says_to_refresh_and_never_shows_it(
    clock: FakeClock, fake: FakeJobMojito, caplog: pytest.LogCaptureFixture
) -> None:
    stale = "eyJhbGciOiJIUzI1NiJ9.stale-payload.0ld-signature"
    provider = connect(fake, clock, token=stale)
    with caplog.at_level(logging.DEBUG, logger="interform"), pytest.raises(AuthError) as caught:
        provider.create(desired(), MARKER, None)
    assert "expired" in str(caught.value) and "fresh token" in str(caught.value)
    assert stale not in str(caught.value)
    assert all(stale not in r.getMessage() for r in caplog.records)


def test_reads_are_retried_through_outages(
    jm: Provider, fake: FakeJobMojito, clock: FakeClock
) -> None:
    res = desired()
    prior = entry(res, jm.create(res, MARKER, None))
    fake.outages = [
        httpx.Response(429, headers={"Retry-After": "3"}, json={"error": "slow down"}),
        httpx.ConnectError("reset"),
    ]
    assert jm.read(prior) is not None
    assert clock.sleeps[0] == 3 and len(clock.sleeps) == 2


# ---------------------------------------------------------------------- spec over seed


def test_fields_only_the_newer_spec_has_are_sent_and_valid(
    jm: Provider, fake: FakeJobMojito
) -> None:
    """The create page (seed) lacks max_followups, tags, hiring_for_company...; the newer
    published spec has them, and it wins: they are sent and pass our schema."""
    res = desired(
        definition(
            jobmojito={
                "max_followups": 2,
                "tags": ["backend"],
                "interview_conversation_speed": "slower",
                "hiring_for_company": {"name": "undisclosed"},
            }
        )
    )
    assert JobMojito.request_problems(res, "create") == []
    applied = jm.create(res, MARKER, None)
    (sent,) = fake.sent("/job-interview-create-from-array")
    assert sent["max_followups"] == 2 and sent["hiring_for_company"] == {"name": "undisclosed"}
    state = jm.read(entry(res, applied))
    assert state is not None and state.body == res.body


# ---------------------------------------------------------------------- property


_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
)
_options = st.fixed_dictionaries(
    {},
    optional={
        "label": _text,
        "is_expert": st.booleans(),
        "is_without_scoring": st.booleans(),
        "question_alternatives": st.lists(_text, max_size=2),
    },
)


@st.composite
def _questions(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 6))
    out: list[dict[str, Any]] = []
    for i in range(count):
        q: dict[str, Any] = {"text": draw(_text)}
        if draw(st.booleans()):
            q["id"] = f"q{i}"
        if draw(st.booleans()):
            q["answer_time"] = draw(st.integers(10, 600))
        parents = [p["id"] for p in out if "id" in p]
        # len(): after `parents and`, mypy would expect draw() to give a list
        if len(parents) > 0 and draw(st.booleans()):
            q["follow_up_to"] = draw(st.sampled_from(parents))
        q["jobmojito"] = draw(_options)
        out.append(q)
    return out


_settings = st.fixed_dictionaries(
    {"interview_template_id": st.sampled_from([INTERACTIVE, OFFLINE])},
    optional={
        "location": _text,
        "status": st.sampled_from(["draft", "active"]),
        "visibility": st.sampled_from(["merchant_public", "merchant_invite", "merchant_unlisted"]),
        "interview_attempts": st.integers(1, 20),
        "questions_random_subset": st.sampled_from([0.01, 0.5, 0.9]),
        "interview_tone": st.sampled_from(["Relaxed", "professional", "SIMPLE"]),
        "seniority_level": st.sampled_from(["senior", "director"]),
        "description_long": _text,
        "tags": st.lists(_text, max_size=3),
        "welcome_message": _text,
        "required_pronunciation": st.booleans(),
        "hiring_for_company": st.fixed_dictionaries({"name": _text}),
        "embed": st.fixed_dictionaries({"enabled": st.booleans()}),
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=_text,
    description=st.none() | _text,
    language=st.sampled_from(languages.supported("jobmojito")),
    questions=_questions(),
    jobmojito=_settings,
)
def test_render_store_get_normalise_is_the_identity(
    title: str,
    description: str | None,
    language: str,
    questions: list[dict[str, Any]],
    jobmojito: dict[str, Any],
    clock: FakeClock,
) -> None:
    defn = Definition.model_validate(
        {
            "title": title,
            "description": description,
            "language": language,
            "questions": questions,
            "jobmojito": jobmojito,
        }
    )
    res = desired(defn)
    assert JobMojito.request_problems(res, "create") == []
    assert JobMojito.request_problems(res, "update") == []
    provider = connect(FakeJobMojito(), clock)
    state = provider.read(entry(res, provider.create(res, MARKER, None)))
    assert state is not None
    assert state.body == res.body
    provider.http.close()
