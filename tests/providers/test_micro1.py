"""micro1 adapter against a small stateful fake of its API (httpx.MockTransport).

The fake stores interviews the way micro1 documents them and lists them back in micro1's
read shape (custom_questions, seconds, display names), so the adapter's normalisation is
exercised for real. Every request body it receives is checked against our schemas.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interform.model import languages
from interform.model.definition import Definition
from interform.model.project import Target
from interform.plan.matching import find
from interform.providers import schemas
from interform.providers.base import Applied, BodyProblem, DesiredResource, Provider
from interform.providers.errors import AuthError, NotFound, RequestRejected, ServerError
from interform.providers.factory import open_provider
from interform.providers.micro1.provider import Micro1
from interform.providers.micro1.render import CODING_DISPLAY

from .adapter_support import entry

if TYPE_CHECKING:
    from .conftest import FakeClock

KEY = "m1_live_5b3e0f7d2a9c44e1"


class FakeMicro1:
    """Interviews in a dict, newest first in listings, the documented shapes and errors."""

    def __init__(self, *, list_details: bool = True) -> None:
        self.interviews: dict[str, dict[str, Any]] = {}
        self.order: list[str] = []  # creation order
        self.requests: list[httpx.Request] = []
        self.list_details = list_details  # the published list schema omits the field
        self.outages: list[httpx.Response | Exception] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.outages:
            outage = self.outages.pop(0)
            if isinstance(outage, Exception):
                raise outage
            return outage
        if request.headers.get("x-api-key") != KEY:
            return self.error(401, "Invalid API key")
        body = json.loads(request.content) if request.content else None
        path, method = request.url.path, request.method
        if method == "POST" and path == "/interview":
            return self.create(body)
        if method == "GET" and path == "/interviews":
            return self.listing(request.url.params)
        found = re.fullmatch(r"/interview/([^/]+)", path)
        if found and method == "PUT":
            return self.update(found.group(1), body)
        if found and method == "DELETE":
            return self.delete(found.group(1))
        return self.error(404, f"no route {method} {path}")

    @staticmethod
    def error(status: int, message: str | None) -> httpx.Response:
        body: dict[str, Any] = {"status": False}
        if message:
            body["message"] = message
        assert not schemas.problems("micro1.error.response", body)
        return httpx.Response(status, json=body)

    @staticmethod
    def ok(schema: str, body: dict[str, Any]) -> httpx.Response:
        assert not schemas.problems(schema, body), schemas.problems(schema, body)
        return httpx.Response(200, json=body)

    def create(self, body: Any) -> httpx.Response:
        assert not schemas.problems("micro1.interview.create.request", body)
        interview_id = str(uuid.uuid4())
        self.interviews[interview_id] = {
            "interview_language": "en",
            "selected_coding_language": "user_choice",
            "is_proctoring_required": True,
            **body,
        }
        self.order.append(interview_id)
        url = f"https://interview.micro1.ai/intro/micro1?uid={interview_id}"
        data = {"interview_id": interview_id, "invite_url": url}
        return self.ok("micro1.interview.create.response", {"status": True, "data": data})

    def update(self, interview_id: str, body: Any) -> httpx.Response:
        assert not schemas.problems("micro1.interview.update.request", body)
        if interview_id not in self.interviews:
            return self.error(400, "Interview not found")
        self.interviews[interview_id].update(body)
        reply = {"status": True, "message": "Interview updated successfully"}
        return self.ok("micro1.interview.update.response", reply)

    def delete(self, interview_id: str) -> httpx.Response:
        if self.interviews.pop(interview_id, None) is None:
            return self.error(400, "Interview not found")
        self.order.remove(interview_id)
        reply = {"status": True, "message": "Interview deleted successfully"}
        return self.ok("micro1.interview.delete.response", reply)

    def listing(self, params: httpx.QueryParams) -> httpx.Response:
        page, limit = int(params.get("page", 1)), int(params.get("limit", 10))
        keyword = params.get("keyword", "").lower()
        ids = [
            i
            for i in reversed(self.order)
            if keyword in self.interviews[i]["interview_name"].lower()
        ]
        items = [self.read_shape(i) for i in ids[(page - 1) * limit : page * limit]]
        return self.ok("micro1.interview.list.response", {"status": True, "data": items})

    def read_shape(self, interview_id: str) -> dict[str, Any]:
        stored = self.interviews[interview_id]
        language = languages.from_platform(stored["interview_language"], "micro1")
        item = {
            "interview_id": interview_id,
            "interview_name": stored["interview_name"],
            "invite_url": f"https://interview.micro1.ai/intro/micro1?uid={interview_id}",
            "skills": stored.get("skills", []),
            "custom_questions": [
                {
                    "question": q["question"],
                    "time": q.get("time", 2) * 60,
                    "type": q.get("type", "audio"),
                }
                for q in stored.get("custom_question_list", [])
            ],
            "interview_language": languages.name_of(language)
            if language
            else stored["interview_language"],
            "selected_coding_language": CODING_DISPLAY[stored["selected_coding_language"]],
            "date_created": "2026-11-22 10:00:00",
            "date_modified": "2026-11-22 10:00:00",
            "status": "active",
        }
        for flag in (
            "can_change_interview_language",
            "only_coding_round",
            "is_coding_round_required",
            "is_proctoring_required",
        ):
            item[flag] = stored.get(flag, flag == "is_proctoring_required")
        if self.list_details:
            item["coding_exercise_details"] = stored.get("coding_exercise_details") or None
        return item

    def sent(self, method: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method]


# ---------------------------------------------------------------------- helpers


def definition(**fields: Any) -> Definition:
    base: dict[str, Any] = {
        "title": "Senior Backend Engineer",
        "questions": [{"text": "Walk me through a system you designed.", "answer_time": "3m"}],
        "skills": [{"name": "Python", "description": "asyncio and typing"}, {"name": "PostgreSQL"}],
    }
    return Definition.model_validate({**base, **fields})


def desired(defn: Definition | None = None) -> DesiredResource:
    (res,) = Micro1.render(
        defn or definition(), "engineering/backend", "m1", "interviews/engineering/backend.yaml"
    )
    return res


def connect(fake: FakeMicro1, clock: FakeClock, key: str = KEY) -> Provider:
    transport = httpx.MockTransport(fake)
    return open_provider(
        "m1", Target(provider="micro1"), transport=transport, credential=key, sleep=clock.sleep
    )


@pytest.fixture
def fake() -> FakeMicro1:
    return FakeMicro1()


@pytest.fixture
def micro1(fake: FakeMicro1, clock: FakeClock) -> Iterator[Provider]:
    provider = connect(fake, clock)
    yield provider
    provider.http.close()


# ---------------------------------------------------------------------- render


def test_body_is_complete_with_documented_defaults() -> None:
    res = desired()
    assert res.body == {
        "interview_name": "Senior Backend Engineer",
        "skills": [{"name": "Python", "description": "asyncio and typing"}, {"name": "PostgreSQL"}],
        "custom_question_list": [
            {"question": "Walk me through a system you designed.", "time": 3, "type": "audio"}
        ],
        "interview_language": "en",
        "can_change_interview_language": False,
        "only_coding_round": False,
        "is_coding_round_required": False,
        "selected_coding_language": "user_choice",
        "is_proctoring_required": True,
    }
    assert res.address == "engineering/backend@m1"
    assert res.kind == "interview"
    assert res.digest.startswith("sha256:")


def test_answer_time_in_seconds_becomes_minutes_and_defaults_to_two() -> None:
    defn = definition(questions=[{"text": "a", "answer_time": 90}, {"text": "b"}])
    questions = desired(defn).body["custom_question_list"]
    assert [q["time"] for q in questions] == [1.5, 2]
    assert any("without answer_time" in note for note in desired(defn).notes)


@pytest.mark.parametrize(
    ("code", "micro1_code"),
    [("ko", "kr"), ("da", "dk"), ("es-419", "es-la"), ("zh", "cn"), ("pt-BR", "pt-BR")],
)
def test_language_uses_micro1_codes(code: str, micro1_code: str) -> None:
    assert desired(definition(language=code)).body["interview_language"] == micro1_code


def test_prose_limits_are_reported_at_their_yaml_place() -> None:
    defn = definition(
        skills=[{"name": f"skill {i}"} for i in range(11)],
        questions=[{"text": "too long to answer", "answer_time": "5m"}],
        language="bg",
    )
    res = desired(defn)
    problems = {p.pointer: p.message for p in Micro1.request_problems(res, "create")}
    assert problems["/skills"] == "must have at most 10 items — got 11"
    assert problems["/custom_question_list/0/time"] == "must be at most 4 — got 5"
    assert problems["/interview_language"].endswith('— got "bg"')
    assert res.origin("/skills") == ("skills",)
    assert res.origin("/custom_question_list/0/time") == ("questions", 0, "answer_time")
    assert res.origin("/interview_language") == ("language",)


def test_twenty_one_questions_are_one_too_many() -> None:
    res = desired(definition(questions=[{"text": f"q{i}"} for i in range(21)]))
    (problem,) = Micro1.request_problems(res, "update")
    assert problem == BodyProblem("/custom_question_list", "must have at most 20 items — got 21")


def test_settings_map_to_the_micro1_section() -> None:
    defn = definition(
        micro1={"selected_coding_language": "rust", "coding_exercise_details": "graphs"}
    )
    res = desired(defn)
    assert res.body["selected_coding_language"] == "rust"
    assert res.origin("/coding_exercise_details") == ("micro1", "coding_exercise_details")
    assert Micro1.request_problems(res, "create") == []


# ---------------------------------------------------------------------- lifecycle


def test_create_records_the_invite_link(micro1: Provider, fake: FakeMicro1) -> None:
    applied = micro1.create(desired(), "interform:p:engineering/backend@m1", None)
    assert applied.urls == {
        "invite_url": f"https://interview.micro1.ai/intro/micro1?uid={applied.remote_id}"
    }
    (post,) = fake.sent("POST")
    assert post.url.path == "/interview", "never /custom/interview"
    assert post.headers["x-api-key"] == KEY
    assert "interform:" not in post.content.decode(), "micro1 has no marker field"


def test_freshly_created_interview_reads_back_without_a_diff(micro1: Provider) -> None:
    res = desired(definition(language="ko", micro1={"selected_coding_language": "cpp"}))
    applied = micro1.create(res, "m", None)
    state = micro1.read(entry(res, applied))
    assert state is not None
    assert state.body == res.body
    assert state.urls == applied.urls


def test_update_replaces_every_field_and_clears_removed_ones(
    micro1: Provider, fake: FakeMicro1
) -> None:
    before = desired(definition(micro1={"coding_exercise_details": "trees"}))
    applied = micro1.create(before, "m", None)
    after = desired(
        definition(title="Staff Backend Engineer", skills=[], questions=[{"text": "Why us?"}])
    )
    result = micro1.update(
        after, entry(before, applied), ["interview_name", "skills", "custom_question_list"]
    )
    assert result.remote_id == applied.remote_id
    assert result.urls == applied.urls
    (put,) = fake.sent("PUT")
    sent = json.loads(put.content)
    assert sent["coding_exercise_details"] == "", "cleared explicitly"
    assert sent["skills"] == []
    state = micro1.read(entry(after, applied))
    assert state is not None and state.body == after.body


def test_remove_deletes_and_tolerates_already_gone(micro1: Provider, fake: FakeMicro1) -> None:
    res = desired()
    prior = entry(res, micro1.create(res, "m", None))
    micro1.remove(prior)
    assert fake.interviews == {}
    micro1.remove(prior)
    assert micro1.read(prior) is None


def test_update_of_a_deleted_interview_is_not_found(micro1: Provider) -> None:
    res = desired()
    prior = entry(res, micro1.create(res, "m", None))
    micro1.remove(prior)
    with pytest.raises(NotFound, match="Interview not found"):
        micro1.update(res, prior, ["interview_name"])


def test_read_finds_an_interview_renamed_outside_interform(
    micro1: Provider, fake: FakeMicro1
) -> None:
    res = desired()
    prior = entry(res, micro1.create(res, "m", None))
    fake.interviews[prior.remote_id or ""]["interview_name"] = "Renamed in the dashboard"
    state = micro1.read(prior)
    assert state is not None
    assert state.body["interview_name"] == "Renamed in the dashboard"
    keywords = [r.url.params.get("keyword") for r in fake.sent("GET")]
    assert keywords == ["Senior Backend Engineer", None], "narrow scan first, then a full one"


def test_field_the_listing_omits_is_carried_from_the_last_request(clock: FakeClock) -> None:
    fake = FakeMicro1(list_details=False)
    provider = connect(fake, clock)
    res = desired(definition(micro1={"coding_exercise_details": "graphs"}))
    state = provider.read(entry(res, provider.create(res, "m", None)))
    assert state is not None and state.body == res.body


# ---------------------------------------------------------------------- paging


def fill(fake: FakeMicro1, count: int, name: str = "Filler") -> None:
    for i in range(count):
        interview_id = f"filler-{i:04d}"
        fake.interviews[interview_id] = {
            "interview_name": f"{name} {i}",
            "interview_language": "en",
            "selected_coding_language": "user_choice",
        }
        fake.order.append(interview_id)


def test_fetch_pages_until_a_short_page(micro1: Provider, fake: FakeMicro1) -> None:
    res = desired()
    oldest = micro1.create(res, "m", None)
    fill(fake, 250)
    state = micro1.fetch("interview", oldest.remote_id)
    assert state.body["interview_name"] == "Senior Backend Engineer"
    pages = [(r.url.params["page"], r.url.params["limit"]) for r in fake.sent("GET")]
    assert pages == [("1", "100"), ("2", "100"), ("3", "100")]


def test_a_listing_of_exactly_full_pages_ends_on_an_empty_page(
    micro1: Provider, fake: FakeMicro1
) -> None:
    fill(fake, 200)
    with pytest.raises(NotFound):
        micro1.fetch("interview", "missing")
    assert [r.url.params["page"] for r in fake.sent("GET")] == ["1", "2", "3"]


def test_a_server_ignoring_the_page_parameter_is_caught(micro1: Provider, fake: FakeMicro1) -> None:
    fill(fake, 150)
    original = fake.listing

    def stuck(params: httpx.QueryParams) -> httpx.Response:
        return original(httpx.QueryParams({**dict(params), "page": "1"}))

    fake.listing = stuck  # type: ignore[method-assign]  # this fake's listing ignores `page`
    with pytest.raises(ServerError, match=r"whether interview missing exists: .* repeated page 1"):
        micro1.fetch("interview", "missing")
    assert [r.url.params["page"] for r in fake.sent("GET")] == ["1", "2"]


# ---------------------------------------------------------------------- find / discover


def test_find_adopts_the_one_untracked_exact_match(micro1: Provider) -> None:
    res = desired()
    applied = micro1.create(res, "m", None)
    found = find(micro1, res, "m", None, None)
    assert found.status == "found"
    assert found.remote_id == applied.remote_id
    assert found.state is not None and found.state.urls == applied.urls


def test_find_skips_tracked_ids(micro1: Provider) -> None:
    res = desired()
    tracked = micro1.create(res, "m", None)
    assert find(micro1, res, "m", None, None, exclude={tracked.remote_id}).status == "absent"
    second = micro1.create(res, "m", None)
    found = find(micro1, res, "m", None, None, exclude={tracked.remote_id})
    assert (found.status, found.remote_id) == ("found", second.remote_id)


def test_find_reports_absent_only_when_nothing_has_the_name(
    micro1: Provider, fake: FakeMicro1
) -> None:
    fill(fake, 3, name="Senior Backend Engineer (old)")
    found = find(micro1, desired(), "m", None, None)
    assert found.status == "absent"


def test_find_is_undecidable_for_two_identical_interviews(micro1: Provider) -> None:
    res = desired()
    first, second = micro1.create(res, "m", None), micro1.create(res, "m", None)
    found = find(micro1, res, "m", None, None)
    assert found.status == "undecidable"
    assert first.remote_id in found.detail and second.remote_id in found.detail


def test_find_is_undecidable_when_the_name_matches_but_content_differs(micro1: Provider) -> None:
    micro1.create(desired(definition(skills=[])), "m", None)
    found = find(micro1, desired(), "m", None, None)
    assert found.status == "undecidable"
    assert "other content" in found.detail


def test_discover_finds_nothing_and_says_why(micro1: Provider, fake: FakeMicro1) -> None:
    micro1.create(desired(), "m", None)
    assert list(micro1.discover("interview")) == []
    assert any("refresh" in note for note in Micro1.kinds["interview"].notes)


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (
            400,
            {"status": False, "message": "skills must have at most 10 items"},
            RequestRejected,
            "skills must have at most 10 items",
        ),
        (400, {"status": False, "message": "Interview not found"}, NotFound, "Interview not found"),
        (401, {"status": False, "message": "Invalid API key"}, AuthError, "Invalid API key"),
        (500, {"status": False}, ServerError, "Internal Server Error"),
    ],
)
def test_documented_errors_carry_micro1s_message(
    micro1: Provider,
    fake: FakeMicro1,
    status: int,
    body: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    fake.outages = [httpx.Response(status, json=body)] * 6
    res = desired()
    with pytest.raises(error) as caught:
        micro1.update(res, entry(res, Applied("x")), [])
    assert getattr(caught.value, "message", None) == message


def test_success_status_with_a_false_envelope_is_an_error(
    micro1: Provider, fake: FakeMicro1
) -> None:
    fake.outages = [httpx.Response(200, json={"status": False, "message": "quota exceeded"})]
    with pytest.raises(ServerError, match="quota exceeded"):
        micro1.fetch("interview", "x")


def test_wrong_key_is_an_auth_error(clock: FakeClock, fake: FakeMicro1) -> None:
    provider = connect(fake, clock, key="wrong-key-000")
    with pytest.raises(AuthError, match="Invalid API key"):
        provider.fetch("interview", "x")


def test_reads_are_retried_through_outages(
    micro1: Provider, fake: FakeMicro1, clock: FakeClock
) -> None:
    res = desired()
    prior = entry(res, micro1.create(res, "m", None))
    fake.outages = [httpx.Response(503, json={"status": False}), httpx.ConnectError("reset")]
    assert micro1.read(prior) is not None
    assert len(clock.sleeps) == 2


def test_create_is_never_repeated_after_a_server_error(micro1: Provider, fake: FakeMicro1) -> None:
    fake.outages = [httpx.Response(502, text="bad gateway")]
    with pytest.raises(ServerError) as caught:
        micro1.create(desired(), "m", None)
    assert caught.value.uncertain
    assert len(fake.sent("POST")) == 1


def test_credential_stays_out_of_errors_and_logs(
    micro1: Provider, fake: FakeMicro1, caplog: pytest.LogCaptureFixture
) -> None:
    fake.outages = [httpx.Response(400, json={"status": False, "message": f"bad key {KEY}"})]
    with (
        caplog.at_level(logging.DEBUG, logger="interform"),
        pytest.raises(RequestRejected) as caught,
    ):
        micro1.create(desired(), "m", None)
    assert KEY not in str(caught.value)
    assert all(KEY not in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------------- property


_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
)
_definitions = st.fixed_dictionaries(
    {
        "title": _text,
        "language": st.sampled_from(languages.supported("micro1")),
        "skills": st.lists(
            st.fixed_dictionaries({"name": _text}, optional={"description": _text}), max_size=10
        ),
        "questions": st.lists(
            st.fixed_dictionaries(
                {"text": _text},
                optional={
                    "answer_time": st.integers(60, 240),
                    "answer_type": st.sampled_from(["audio", "text"]),
                },
            ),
            max_size=20,
        ),
        "micro1": st.fixed_dictionaries(
            {},
            optional={
                "can_change_interview_language": st.booleans(),
                "only_coding_round": st.booleans(),
                "is_coding_round_required": st.booleans(),
                "selected_coding_language": st.sampled_from(sorted(CODING_DISPLAY)),
                "coding_exercise_details": _text,
                "is_proctoring_required": st.booleans(),
            },
        ),
    }
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fields=_definitions)
def test_render_store_list_normalise_is_the_identity(
    fields: dict[str, Any], clock: FakeClock
) -> None:
    provider = connect(FakeMicro1(), clock)
    res = desired(Definition.model_validate(fields))
    assert Micro1.request_problems(res, "create") == []
    state = provider.read(entry(res, provider.create(res, "m", None)))
    assert state is not None
    assert state.body == res.body
    provider.http.close()
