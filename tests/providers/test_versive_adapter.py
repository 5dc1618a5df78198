"""The Versive adapter over HTTP, against a small stateful fake of the platform.

The fake has exactly the documented endpoints (create/update study, create/get
interview: no read, list or delete), answers in FastAPI's shapes, and checks every body
it receives against the request schema and every answer against the response schema.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interform.model.definition import Definition
from interform.model.project import Target
from interform.plan.matching import find
from interform.providers.base import DesiredResource, make_marker
from interform.providers.errors import (
    AuthError,
    MissingCredential,
    NotFound,
    ProviderError,
    RequestRejected,
    ServerError,
    Unsupported,
)
from interform.providers.factory import open_provider
from interform.providers.versive.provider import Versive

from .adapter_support import assert_valid, entry

if TYPE_CHECKING:
    from .conftest import AdapterFactory, FakeClock

TOKEN = "vrs_test_token_fedcba9876543210"
PROJECT = "9a0b7c3e-1d2f-4e5a-8b6c-7d8e9f0a1b2c"
CREATED = "2026-11-23T10:00:00Z"


def detail(status: int, message: Any) -> httpx.Response:
    return httpx.Response(status, json={"detail": message})


class FakeVersive:
    """Studies and participant interviews of one organisation."""

    def __init__(self) -> None:
        self.studies: dict[str, dict[str, Any]] = {}
        self.interviews: dict[str, dict[str, Any]] = {}
        self.requests: list[httpx.Request] = []
        self.scripted: list[httpx.Response] = []
        self._ids = itertools.count(1)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.scripted:
            return self.scripted.pop(0)
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return detail(401, "Not authenticated")
        body: dict[str, Any] = json.loads(request.content) if request.content else {}
        route = (request.method, *request.url.path.strip("/").split("/")[2:])
        if route == ("POST", "studies"):
            return self.create_study(body)
        if route[:2] == ("PUT", "studies") and len(route) == 3:
            return self.update_study(route[2], body)
        if route == ("POST", "interviews"):
            return self.create_interview(body)
        if route[:2] == ("GET", "interviews") and len(route) == 3:
            found = self.interviews.get(route[2])
            if found is None:
                return detail(404, "Interview not found")
            return self.answer("versive.session.get.response", found)
        return detail(405, "Method Not Allowed")  # no list, no read of studies, no delete

    def answer(self, schema: str, payload: Any) -> httpx.Response:
        assert_valid(schema, payload)
        return httpx.Response(200, json=payload)

    def create_study(self, body: dict[str, Any]) -> httpx.Response:
        assert_valid("versive.study.create.request", body)
        study = (
            {
                "id": f"study_{next(self._ids)}",
                "description": None,
                "metadata": {},
                "config": {},
                "type": "VERSIVE_STUDY",
                "mode": "TEXT_AND_VOICE",
                "welcome_message": None,
                "thank_you_message": None,
                "screen_out_message": None,
                "folder_id": None,
            }
            | body
            | {"created_at": CREATED, "updated_at": CREATED}
        )
        for key in ("welcome_message", "thank_you_message", "screen_out_message"):
            if study[key] is not None:  # a pydantic model: every field comes back, null or not
                study[key] = {"title": study[key].get("title"), "body": study[key].get("body")}
        self.studies[study["id"]] = study
        return self.answer("versive.study.create.response", study)

    def update_study(self, study_id: str, body: dict[str, Any]) -> httpx.Response:
        assert_valid("versive.study.update.request", body)
        study = self.studies.get(study_id)
        if study is None:
            return detail(404, "Study not found")
        study.update(body)
        return self.answer("versive.study.update.response", study)

    def create_interview(self, body: dict[str, Any]) -> httpx.Response:
        assert_valid("versive.session.create.request", body)
        study_id = body["study_id"]
        if study_id not in self.studies:
            return detail(404, "Study not found")
        n = next(self._ids)
        interview = {
            "id": f"3fa85f64-5717-4562-b3fc-{n:012d}",
            "title": body.get("title"),
            "study_id": study_id,
            "metadata": body.get("metadata") or {},
            "link": f"https://getversive.com/s/{study_id}?vid=vid_{n}",
            "status": "open",
            "created_at": CREATED,
        }
        # stored with what GET adds; `language` is accepted but not returned (undocumented)
        self.interviews[interview["id"]] = {**interview, "vid": f"vid_{n}", "is_archived": False}
        return self.answer("versive.session.create.response", interview)


@pytest.fixture
def fake() -> FakeVersive:
    return FakeVersive()


Opener = Callable[..., Versive]


@pytest.fixture
def connect(fake: FakeVersive, adapter: AdapterFactory) -> Opener:
    def make(server: FakeVersive = fake) -> Versive:
        versive: Versive = adapter(Versive, server, TOKEN, "vs")
        return versive

    return make


def resources(**versive: Any) -> list[DesiredResource]:
    defn = Definition.model_validate(
        {
            "title": "Onboarding study",
            "description": "Why people sign up",
            "language": "de",
            "versive": versive or None,
        }
    )
    return Versive.render(defn, "research/onboarding", "vs", "interviews/research/onboarding.yaml")


def marker_of(res: DesiredResource) -> str:
    return make_marker(PROJECT, res.address)


def sent(request: httpx.Request) -> Any:
    return json.loads(request.content)


# ---------------------------------------------------------------------- studies


def test_study_create_injects_the_marker_into_metadata(fake: FakeVersive, connect: Opener) -> None:
    vs = connect()
    (study,) = resources(study={"metadata": {"team": "growth"}, "config": {"primaryColor": "#000"}})
    marker = marker_of(study)
    applied = vs.create(study, marker, None)
    (post,) = fake.requests
    assert (post.method, post.url.path) == ("POST", "/api/v1/studies")
    assert post.headers["Authorization"] == f"Bearer {TOKEN}"
    assert sent(post) == {**study.body, "metadata": {"team": "growth", "interform": marker}}
    assert applied.remote_id in fake.studies


def test_study_config_and_metadata_update_in_place(fake: FakeVersive, connect: Opener) -> None:
    vs = connect()
    (study,) = resources(study={"config": {"primaryColor": "#000"}})
    marker = marker_of(study)
    prior = entry(study, vs.create(study, marker, None).remote_id, marker)
    (changed,) = resources(study={"config": {"primaryColor": "#fff"}, "metadata": {"q": 4}})
    vs.update(changed, prior, ["config", "metadata"])
    put = fake.requests[-1]
    assert (put.method, put.url.path) == ("PUT", f"/api/v1/studies/{prior.remote_id}")
    # metadata is replaced whole, so the marker goes with it
    assert sent(put) == {
        "config": {"primaryColor": "#fff"},
        "metadata": {"q": 4, "interform": marker},
    }
    study_id = str(prior.remote_id)
    assert fake.studies[study_id]["config"] == {"primaryColor": "#fff"}
    fetched = vs.fetch("study", study_id)
    assert fetched.body == changed.body
    assert fetched.marker == marker


def test_study_fields_without_an_update_path_are_refused(
    fake: FakeVersive, connect: Opener
) -> None:
    vs = connect()
    (study,) = resources()
    prior = entry(study, vs.create(study, marker_of(study), None).remote_id)
    with pytest.raises(Unsupported, match="title"):
        vs.update(study, prior, ["title", "config"])
    assert len(fake.requests) == 1


def test_studies_cannot_be_read_listed_or_deleted(fake: FakeVersive, connect: Opener) -> None:
    vs = connect()
    (study,) = resources()
    marker = marker_of(study)
    prior = entry(study, vs.create(study, marker, None).remote_id, marker)
    with pytest.raises(Unsupported, match="read a study"):
        vs.read(prior)
    vs.remove(prior)  # forget: nothing to call
    found = find(vs, study, marker, None, CREATED)
    assert found.status == "undecidable"
    assert "no endpoint to list studies" in found.detail
    assert "`interform import research/onboarding@vs STUDY_ID`" in found.detail
    assert list(vs.discover("study")) == []
    assert len(fake.requests) == 1
    assert prior.remote_id in fake.studies


def test_fetch_study_checks_the_id_without_changing_anything(
    fake: FakeVersive, connect: Opener
) -> None:
    vs = connect()
    (study,) = resources(study={"welcome_message": {"title": "Hi"}})
    applied = vs.create(study, marker_of(study), None)
    before = dict(fake.studies[applied.remote_id])
    state = vs.fetch("study", applied.remote_id)
    assert state.body == study.body
    assert sent(fake.requests[-1]) == {}
    assert fake.studies[applied.remote_id] == before
    with pytest.raises(NotFound, match="Study not found"):
        vs.fetch("study", "study_missing")
    with pytest.raises(ValueError, match="no kind"):
        vs.fetch("folder", applied.remote_id)


# ---------------------------------------------------------------------- sessions


def test_session_create_records_the_link_and_reads_back(fake: FakeVersive, connect: Opener) -> None:
    vs = connect()
    study, session = resources(participants=[{"name": "anna", "metadata": {"crm": 7}}])
    study_id = vs.create(study, marker_of(study), None).remote_id
    marker = marker_of(session)
    applied = vs.create(session, marker, study_id)
    post = fake.requests[-1]
    assert post.url.path == "/api/v1/interviews"
    assert sent(post) == {
        "study_id": study_id,
        "title": "Onboarding study — anna",
        "language": "German",
        "metadata": {"crm": 7, "interform": marker},
    }
    assert applied.urls["link"].startswith(f"https://getversive.com/s/{study_id}?vid=")
    prior = entry(session, applied.remote_id, marker)
    state = vs.read(prior)
    assert state is not None
    assert state.body == session.body  # language is not returned: the sent value stands
    assert state.marker == marker
    assert state.parent_remote_id == study_id
    assert state.urls == applied.urls


def test_session_of_a_referenced_study_uses_its_id(fake: FakeVersive, connect: Opener) -> None:
    vs = connect()
    fake.studies["study_123"] = {"id": "study_123", "title": "existing"}
    (session,) = resources(study_id="study_123", participants=[{"name": "ben"}])
    vs.create(session, marker_of(session), None)
    assert sent(fake.requests[-1])["study_id"] == "study_123"


def test_sessions_are_forgotten_not_deleted(fake: FakeVersive, connect: Opener) -> None:
    vs = connect()
    study, session = resources(participants=[{"name": "anna"}])
    study_id = vs.create(study, marker_of(study), None).remote_id
    applied = vs.create(session, marker_of(session), study_id)
    prior = entry(session, applied.remote_id)
    sent_before = len(fake.requests)
    vs.remove(prior)
    assert len(fake.requests) == sent_before
    with pytest.raises(Unsupported):
        vs.update(session, prior, ["title"])
    found = find(vs, session, marker_of(session), study_id, CREATED)
    assert found.status == "undecidable"
    assert "`interform import research/onboarding@vs#anna ID`" in found.detail
    assert vs.fetch("session", applied.remote_id).body["title"] == "Onboarding study — anna"


def test_read_of_an_unknown_interview_is_none(connect: Opener) -> None:
    vs = connect()
    _, session = resources(participants=[{"name": "anna"}])
    assert vs.read(entry(session, "3fa85f64-5717-4562-b3fc-000000000999")) is None


def test_unknown_study_is_not_found(connect: Opener) -> None:
    vs = connect()
    (session,) = resources(study_id="study_nope", participants=[{"name": "a"}])
    with pytest.raises(NotFound, match="Study not found"):
        vs.create(session, marker_of(session), None)


# ---------------------------------------------------------------------- errors


VALIDATION = {
    "detail": [
        {"loc": ["body", "title"], "msg": "field required", "type": "value_error.missing"},
        {"loc": ["body", "metadata", 0], "msg": "not a dict", "type": "type_error.dict"},
    ]
}


@pytest.mark.parametrize(
    ("response", "error", "message", "code"),
    [
        (
            httpx.Response(422, json=VALIDATION),
            RequestRejected,
            "title: field required; metadata.0: not a dict",
            "value_error.missing",
        ),
        (detail(401, "Not authenticated"), AuthError, "Not authenticated", None),
        (detail(403, "Not allowed for this organization"), AuthError, "organization", None),
        (detail(404, "Study not found"), NotFound, "Study not found", None),
        (httpx.Response(400, text="plain words"), RequestRejected, "plain words", None),
    ],
)
def test_fastapi_errors_map_to_typed_errors(
    fake: FakeVersive,
    connect: Opener,
    response: httpx.Response,
    error: type[ProviderError],
    message: str,
    code: str | None,
) -> None:
    vs = connect()
    fake.scripted.append(response)
    (study,) = resources()
    with pytest.raises(ProviderError) as raised:
        vs.create(study, marker_of(study), None)
    assert type(raised.value) is error
    assert raised.value.message == message or message in raised.value.message
    assert raised.value.code == code
    assert len(fake.requests) == 1


def test_server_error_on_create_is_uncertain(fake: FakeVersive, connect: Opener) -> None:
    vs = connect()
    fake.scripted.append(detail(500, "Internal Server Error"))
    (study,) = resources()
    with pytest.raises(ServerError) as raised:
        vs.create(study, marker_of(study), None)
    assert raised.value.uncertain
    assert len(fake.requests) == 1


def test_interview_reads_are_retried(fake: FakeVersive, connect: Opener, clock: FakeClock) -> None:
    vs = connect()
    study, session = resources(participants=[{"name": "anna"}])
    study_id = vs.create(study, marker_of(study), None).remote_id
    applied = vs.create(session, marker_of(session), study_id)
    fake.scripted.append(
        httpx.Response(429, json={"detail": "slow down"}, headers={"Retry-After": "4"})
    )
    assert vs.read(entry(session, applied.remote_id)) is not None
    assert clock.sleeps == [4.0]


def test_credential_from_the_environment_never_leaks(
    fake: FakeVersive, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    target = Target(provider="versive")
    monkeypatch.delenv("VERSIVE_API_KEY", raising=False)
    with pytest.raises(MissingCredential, match="VERSIVE_API_KEY"):
        open_provider("vs", target, transport=httpx.MockTransport(fake))
    monkeypatch.setenv("VERSIVE_API_KEY", TOKEN)
    caplog.set_level(logging.DEBUG, logger="interform")
    vs = open_provider("vs", target, transport=httpx.MockTransport(fake))
    try:
        (study,) = resources()
        vs.create(study, marker_of(study), None)
        fake.scripted.append(detail(401, f"token {TOKEN} expired"))
        with pytest.raises(AuthError) as raised:
            vs.fetch("session", "x")
    finally:
        vs.http.close()
    assert fake.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in str(raised.value)
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------------- property


_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=24
)
_free = st.dictionaries(
    st.text("abcxyz", min_size=1, max_size=5),
    st.one_of(st.integers(-3, 3), st.booleans(), _text),
    max_size=3,
)
_message = st.fixed_dictionaries({}, optional={"title": _text, "body": _text})


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    study=st.fixed_dictionaries(
        {},
        optional={
            "type": _text,
            "mode": _text,
            "config": _free,
            "metadata": _free,
            "welcome_message": _message,
            "screen_out_message": _message,
            "folder_id": _text,
        },
    ),
    participants=st.lists(
        st.fixed_dictionaries({}, optional={"title": _text, "metadata": _free}), max_size=3
    ),
    language=st.sampled_from(["en", "de", "ja", "sk"]),
)
def test_applied_objects_read_back_without_a_diff(
    study: dict[str, Any],
    participants: list[dict[str, Any]],
    language: str,
    connect: Opener,
) -> None:
    """render → create on the fake → fetch/read → the rendered body."""
    vs = connect(FakeVersive())
    defn = Definition.model_validate(
        {
            "title": "T",
            "language": language,
            "versive": {
                "study": study,
                "participants": [{**p, "name": f"p{i}"} for i, p in enumerate(participants)],
            },
        }
    )
    study_res, *sessions = Versive.render(defn, "x", "vs", "interviews/x.yaml")
    assert Versive.request_problems(study_res, "create") == []
    study_id = vs.create(study_res, marker_of(study_res), None).remote_id
    assert vs.fetch("study", study_id).body == study_res.body
    for res in sessions:
        assert Versive.request_problems(res, "create") == []
        applied = vs.create(res, marker_of(res), study_id)
        state = vs.read(entry(res, applied.remote_id))
        assert state is not None and state.body == res.body
