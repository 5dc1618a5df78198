"""Instaview rendering and plan-time checks: pure, no HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Literal

import pytest

from interform.model.definition import Definition
from interform.providers.base import DesiredResource
from interform.providers.instaview.provider import Instaview
from interform.providers.instaview.render import iso_utc, parse_iso

CANDIDATE = "123e4567-e89b-12d3-a456-426614174000"
JOB = "223e4567-e89b-12d3-a456-426614174000"
NOW = datetime.now(timezone.utc)


def definition(**fields: Any) -> Definition:
    base: dict[str, Any] = {"title": "Backend engineer", "language": "sk"}
    return Definition.model_validate({**base, **fields})


def render(defn: Definition) -> list[DesiredResource]:
    return Instaview.render(defn, "eng/backend", "iv", "interviews/eng/backend.yaml")


def inline_candidate(**extra: Any) -> dict[str, Any]:
    return {
        "first_name": "Jana",
        "last_name": "Nová",
        "email": "jana@example.com",
        "gdpr_expiry_date": "2027-01-31",
        **extra,
    }


def session_body(**session: Any) -> tuple[DesiredResource, dict[str, Any]]:
    defn = definition(instaview={"sessions": [{"name": "s1", **session}]})
    res = render(defn)[1]
    return res, dict(res.body)


def problems(
    res: DesiredResource, operation: Literal["create", "update"] = "create"
) -> dict[str, str]:
    found = Instaview.request_problems(res, operation)
    return {p.pointer: p.message for p in found}


# ---------------------------------------------------------------------- agent


def test_agent_body_is_the_create_request_in_instaview_names() -> None:
    defn = definition(
        description="Screens backend engineers.",
        questions=[{"text": "Tell me about Python."}, {"text": "Why us?"}],
        instaview={"focus": "SCREENING", "duration": 30, "voice_id": "ALEX", "cefr_level": "B2"},
    )
    agent = render(defn)[0]
    assert agent.address == "eng/backend@iv"
    assert agent.kind == "agent"
    assert agent.body == {
        "name": "Backend engineer",
        "type": "ONLINE",
        "focus": "SCREENING",
        "language": "SK",
        "duration": 30,
        "questions": ["Tell me about Python.", "Why us?"],
        "instructions": "Screens backend engineers.",
        "voiceId": "ALEX",
        "cefrLevel": "B2",
    }
    assert problems(agent) == {}
    assert problems(agent, "update") == {}


def test_explicit_instructions_win_over_the_description() -> None:
    agent = render(definition(description="d", instaview={"instructions": "Be brief."}))[0]
    assert agent.body["instructions"] == "Be brief."
    assert agent.origin("/instructions") == ("instaview", "instructions")
    fallback = render(definition(description="d"))[0]
    assert fallback.origin("/instructions") == ("description",)


def test_unset_optional_fields_are_left_out_not_sent_as_null() -> None:
    agent = render(definition())[0]
    assert set(agent.body) == {"name", "type", "focus", "language", "questions"}


def test_agent_origins_point_at_yaml() -> None:
    agent = render(definition(questions=[{"text": "a"}, {"text": "b"}]))[0]
    assert agent.origin("/questions/1") == ("questions", 1, "text")
    assert agent.origin("/language") == ("language",)
    assert agent.origin("/name") == ("title",)


def test_unsupported_language_is_reported_at_the_language_line() -> None:
    agent = render(definition(language="ja"))[0]
    found = Instaview.request_problems(agent, "create")
    assert [p.pointer for p in found] == ["/language"]
    assert agent.origin(found[0].pointer) == ("language",)


def test_notes_say_what_instaview_cannot_carry() -> None:
    defn = definition(questions=[{"text": "a", "answer_time": 60}], skills=[{"name": "Python"}])
    notes = " ".join(render(defn)[0].notes)
    assert "answer times" in notes
    assert "skills are not sent" in notes
    assert render(definition(questions=[{"text": "a"}]))[0].notes == ()


def test_skills_note_depends_on_whether_a_job_carries_them() -> None:
    existing_job = definition(
        skills=[{"name": "Python"}],
        instaview={"sessions": [{"name": "s", "candidate_id": CANDIDATE, "job_id": JOB}]},
    )
    assert "skills are not sent" in render(existing_job)[0].notes[0]
    own_job = definition(
        skills=[{"name": "Python"}],
        instaview={"job": {}, "sessions": [{"name": "s", "candidate_id": CANDIDATE}]},
    )
    assert render(own_job)[0].notes == ()


def test_skills_feed_the_job_and_then_need_no_note() -> None:
    defn = definition(
        skills=[{"name": "Python"}, {"name": "SQL"}],
        instaview={"job": {}, "sessions": [{"name": "s1", "candidate_id": CANDIDATE}]},
    )
    agent, job, session = render(defn)
    assert agent.notes == ()
    assert job.body["requiredSkills"] == ["Python", "SQL"]
    assert job.origin("/requiredSkills") == ("skills",)
    assert session.refs == {"jobId": "eng/backend@iv#:job"}


# ---------------------------------------------------------------------- sessions


def test_session_with_inline_candidate_and_section_job() -> None:
    when = NOW + timedelta(days=3)
    defn = definition(
        description="Backend role",
        instaview={
            "job": {
                "experience": "SENIOR",
                "location": {"work_mode": "REMOTE", "country_code": "SK"},
            },
            "sessions": [
                {
                    "name": "jana",
                    "candidate": inline_candidate(phone_number="+421915123456"),
                    "schedule_time": when.isoformat(),
                    "metadata": {"ats": "A-1"},
                }
            ],
        },
    )
    agent, job, candidate, session = render(defn)
    assert (job.address, job.kind, job.parent) == ("eng/backend@iv#:job", "job", agent.address)
    assert job.body == {
        "title": "Backend engineer",
        "description": "Backend role",
        "experience": "SENIOR",
        "location": {"workMode": "REMOTE", "countryCode": "SK"},
    }
    assert job.origin("/location/workMode") == ("instaview", "job", "location", "work_mode")
    assert job.origin("/title") == ("title",)
    assert candidate.address == "eng/backend@iv#jana:candidate"
    assert candidate.body == {
        "firstName": "Jana",
        "lastName": "Nová",
        "email": "jana@example.com",
        "phoneNumber": "+421915123456",
        "gdprExpiryDate": "2027-01-31",
    }
    assert candidate.refs == {"jobId": job.address}  # held for the definition's job
    assert candidate.origin("/phoneNumber") == (
        "instaview",
        "sessions",
        0,
        "candidate",
        "phone_number",
    )
    assert session.address == "eng/backend@iv#jana"
    assert session.parent == agent.address
    assert session.kind == "session"
    assert session.body == {
        "scheduleTime": iso_utc(when),
        "metadata": {"ats": "A-1"},
        "isTest": False,
    }
    assert session.refs == {"candidateId": candidate.address, "jobId": job.address}
    assert "agentId" not in session.body  # injected by create
    assert session.context["agent_focus"] == "SCREENING"
    for res in (job, candidate, session):
        assert problems(res) == {}


def test_session_job_id_wins_over_the_section_job() -> None:
    defn = definition(
        instaview={"job": {}, "sessions": [{"name": "s", "candidate_id": CANDIDATE, "job_id": JOB}]}
    )
    session = render(defn)[-1]
    assert session.body["jobId"] == JOB and session.refs == {}


def test_candidate_job_id_suppresses_the_section_job() -> None:
    defn = definition(
        instaview={
            "job_id": JOB,
            "sessions": [{"name": "s", "candidate": inline_candidate(job_id=JOB)}],
        }
    )
    _, candidate, session = render(defn)
    assert "jobId" not in session.body and "jobId" not in session.refs
    assert candidate.body["jobId"] == JOB and candidate.refs == {}
    assert problems(session) == {} and problems(candidate) == {}


def test_schedule_time_is_normalised_to_utc() -> None:
    assert iso_utc(datetime(2026, 12, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))) == (
        "2026-12-01T08:00:00Z"
    )
    assert iso_utc(datetime(2026, 12, 1, 10, 0)) == "2026-12-01T10:00:00Z"
    assert parse_iso("2026-12-01T08:00:00.000Z") == datetime(2026, 12, 1, 8, tzinfo=timezone.utc)
    assert parse_iso("not a time") is None


def test_notes_warn_about_immediate_start_and_billing() -> None:
    immediate, _ = session_body(candidate_id=CANDIDATE)
    assert "starts as soon as it is created" in immediate.notes[0]
    test_run, _ = session_body(candidate_id=CANDIDATE, is_test=True)
    assert test_run.notes == ()


@pytest.mark.parametrize(
    ("session", "section", "pointer", "words"),
    [
        ({}, {}, "#s", "names no candidate"),
        (
            {"candidate": inline_candidate(email=None)},
            {"job_id": JOB},
            "#s:candidate",
            "email or a phone",
        ),
        ({"candidate": inline_candidate()}, {}, "#s", "needs one"),
        (
            {"candidate_id": CANDIDATE, "job_id": JOB},
            {"focus": "GENERIC"},
            "#s/jobId",
            "GENERIC",
        ),
        (
            {"candidate": inline_candidate()},
            {"focus": "GENERIC", "job": {}},
            "#s/jobId",
            "GENERIC",
        ),
    ],
)
def test_session_rules(
    session: dict[str, Any], section: dict[str, Any], pointer: str, words: str
) -> None:
    """Problems of every resource rendered, by address fragment and body pointer (the
    combinations config/rules.py refuses first, such as candidate_id with candidate,
    are checked there)."""
    defn = definition(instaview={**section, "sessions": [{"name": "s", **session}]})
    found = {
        "#" + res.address.partition("#")[2] + p.pointer: p.message
        for res in render(defn)[1:]
        for p in Instaview.request_problems(res, "create")
    }
    assert pointer in found, found
    assert words in found[pointer]
    assert "valid under" not in " ".join(found.values())  # no raw combinator messages


def test_generic_agent_without_job_and_existing_candidate_without_job_are_fine() -> None:
    generic = definition(
        instaview={"focus": "GENERIC", "sessions": [{"name": "s", "candidate": inline_candidate()}]}
    )
    assert problems(render(generic)[1]) == {}
    # an existing candidate may already have a job: only the platform can tell
    assert problems(session_body(candidate_id=CANDIDATE)[0]) == {}


@pytest.mark.parametrize(
    ("offset", "words"),
    [(timedelta(hours=-1), "is in the past"), (timedelta(days=31), "more than 30 days ahead")],
)
def test_schedule_window(offset: timedelta, words: str) -> None:
    res, _ = session_body(candidate_id=CANDIDATE, schedule_time=(NOW + offset).isoformat())
    found = problems(res)
    assert words in found["/scheduleTime"]
    assert res.origin("/scheduleTime") == ("instaview", "sessions", 0, "schedule_time")
    inside, _ = session_body(
        candidate_id=CANDIDATE, schedule_time=(NOW + timedelta(days=29)).isoformat()
    )
    assert problems(inside) == {}


def test_metadata_limits_count_the_marker() -> None:
    big, _ = session_body(candidate_id=CANDIDATE, metadata={"notes": "x" * 10_150})
    assert "10 KB" in problems(big)["/metadata"]
    deep: dict[str, Any] = {"leaf": 1}
    for _ in range(5):
        deep = {"n": deep}
    nested, _ = session_body(candidate_id=CANDIDATE, metadata=deep)
    assert "nests 6 levels; Instaview allows 5" in problems(nested)["/metadata"]
    many, _ = session_body(candidate_id=CANDIDATE, metadata={f"k{i}": i for i in range(50)})
    assert "/metadata" in problems(many)  # 50 of the user's + the marker
    # nested keys count too: 45 + 4 below, and the marker, are 50
    fits = {**{f"k{i}": i for i in range(44)}, "n": {f"m{i}": i for i in range(4)}}
    assert problems(session_body(candidate_id=CANDIDATE, metadata=fits)[0]) == {}
    over = {**fits, "n": {f"m{i}": i for i in range(5)}}
    assert (
        "has 51 keys counted at every level"
        in problems(session_body(candidate_id=CANDIDATE, metadata=over)[0])["/metadata"]
    )


def test_sessions_cannot_be_updated() -> None:
    res, _ = session_body(candidate_id=CANDIDATE)
    assert "cannot be updated" in problems(res, "update")[""]


def test_moved_definition_moves_agent_and_sessions() -> None:
    defn = definition(
        moved_from="old/backend", instaview={"sessions": [{"name": "s", "candidate_id": CANDIDATE}]}
    )
    agent, session = render(defn)
    assert agent.moved_from == "old/backend@iv"
    assert session.moved_from == "old/backend@iv#s"
