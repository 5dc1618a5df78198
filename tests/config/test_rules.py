"""Pass 3, rule by rule: each rule fires on its example and stays silent on a definition
that is right. The broken corpus checks the full lines; these check the edges."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from interform.config.issues import Issue
from interform.config.rules import Rule, RuleContext, all_rules, check
from interform.model.definition import Definition
from interform.model.project import Target

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
TEMPLATE = "46b98d37-1557-4391-beca-03037ead19f2"
UUID = "123e4567-e89b-12d3-a456-426614174000"
JM = {"interview_template_id": TEMPLATE}
TARGETS = {
    "m1": Target(provider="micro1"),
    "jm": Target(provider="jobmojito"),
    "iv": Target(provider="instaview"),
    "vs": Target(provider="versive"),
}
CANDIDATE = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "gdpr_expiry_date": "2030-01-31",
}


def context(data: dict[str, Any], address: str = "team/screen") -> RuleContext:
    definition = Definition.model_validate({"title": "Screen", **data})
    keys = frozenset(data)
    return RuleContext.build(address, definition, TARGETS, keys, NOW)


def fired(rule: Rule, data: dict[str, Any]) -> list[Issue]:
    return list(rule(context(data)))


def question(text: str = "Why this role?", **extra: Any) -> dict[str, Any]:
    return {"text": text, **extra}


def session(name: str = "s1", **extra: Any) -> dict[str, Any]:
    return {"name": name, **extra}


# one failing example per rule; `test_every_rule_has_an_example` keeps the table complete
EXAMPLES: dict[str, dict[str, Any]] = {
    "targets_present": {},
    "targets_known": {"targets": ["m2"]},
    "targets_unique": {"targets": ["m1", "m1"]},
    "sections_match_targets": {"targets": ["m1"], "versive": {"study_id": "st_1"}},
    "moved_from_valid": {"targets": ["m1"], "moved_from": "team/screen"},
    "ignore_changes_valid": {"targets": ["iv"], "ignore_changes": ["instaview.instructons"]},
    "language_known": {"targets": ["m1"], "language": "klingon"},
    "language_supported": {"targets": ["m1"], "language": "sk"},
    "question_ids_unique": {"targets": ["m1"], "questions": [question(id="a"), question(id="a")]},
    "follow_ups_refer_back": {
        "targets": ["jm"],
        "questions": [question(id="a", follow_up_to="b"), question(id="b")],
    },
    "follow_ups_supported": {
        "targets": ["jm", "iv"],
        "questions": [question(id="a"), question(id="b", follow_up_to="a")],
    },
    "micro1_limits": {"targets": ["m1"], "skills": [{"name": f"s{i}"} for i in range(11)]},
    "jobmojito_required": {"targets": ["jm"], "questions": [question()]},
    "jobmojito_signing_key_file": {
        "targets": ["jm"],
        "jobmojito": {"embed": {"signing_key_file": "../outside.key"}},
    },
    "jobmojito_ranges": {
        "targets": ["jm"],
        "jobmojito": {"interview_template_id": TEMPLATE, "interview_attempts": 0},
    },
    "jobmojito_pronunciation": {
        "targets": ["jm"],
        "language": "tr",
        "jobmojito": {"interview_template_id": TEMPLATE, "required_pronunciation": True},
    },
    "jobmojito_languages": {
        "targets": ["jm"],
        "questions": [{"text": "Hi?", "jobmojito": {"mojito_language_code": "tlh"}}],
        "jobmojito": {"interview_template_id": TEMPLATE},
    },
    "jobmojito_references": {
        "targets": ["jm"],
        "jobmojito": {"interview_template_id": TEMPLATE, "code": "interform:p:a@jm"},
    },
    "instaview_session_names_unique": {
        "targets": ["iv"],
        "instaview": {"sessions": [session(candidate_id=UUID), session(candidate_id=UUID)]},
    },
    "instaview_candidates": {"targets": ["iv"], "instaview": {"sessions": [session()]}},
    "instaview_job_sources": {
        "targets": ["iv"],
        "instaview": {"job_id": UUID, "job": {"title": "Engineer"}},
    },
    "instaview_focus_and_job": {
        "targets": ["iv"],
        "instaview": {"sessions": [session(candidate=CANDIDATE)]},
    },
    "instaview_schedule": {
        "targets": ["iv"],
        "instaview": {"sessions": [session(candidate_id=UUID, schedule_time="2026-12-01T10:00")]},
    },
    "instaview_metadata": {
        "targets": ["iv"],
        "instaview": {"sessions": [session(candidate_id=UUID, metadata={"interform": "mine"})]},
    },
    "instaview_questions": {"targets": ["iv"]},
    "versive_participant_names_unique": {
        "targets": ["vs"],
        "versive": {"study_id": "st_1", "participants": [{"name": "a"}, {"name": "a"}]},
    },
    "versive_study": {"targets": ["vs"], "versive": {"participants": [{"name": "a"}]}},
}


def test_every_rule_has_an_example() -> None:
    assert set(EXAMPLES) == {rule.__name__ for rule in all_rules()}


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.__name__)
def test_rule_fires_on_its_example(rule: Rule) -> None:
    issues = fired(rule, EXAMPLES[rule.__name__])
    assert issues, rule.__name__
    assert all(i.message and i.fix for i in issues)


VALID: list[dict[str, Any]] = [
    {
        "targets": ["m1"],
        "questions": [question(answer_time=60), question(answer_time="4m")],
        "skills": [{"name": f"s{i}"} for i in range(10)],
    },
    {
        "targets": ["jm"],
        "description": "Support screen.",
        "questions": [question(id="a"), question(id="b", follow_up_to="a")],
        "jobmojito": {
            "interview_template_id": TEMPLATE,
            "interview_attempts": 20,
            "questions_random_subset": 0.9,
        },
    },
    {
        "targets": ["iv"],
        "questions": [question()],
        "instaview": {
            "focus": "GENERIC",
            "sessions": [session(candidate=CANDIDATE, schedule_time=NOW + timedelta(days=30))],
        },
    },
    {
        "targets": ["iv"],
        "questions": [question()],
        "instaview": {
            "sessions": [
                session("existing", candidate_id=UUID),  # its job may be on the candidate
                session("own-job", candidate={**CANDIDATE, "job_id": UUID}),
                session("session-job", job_id=UUID, candidate={**CANDIDATE, "phone_number": "+4"}),
            ]
        },
    },
    {"targets": ["vs"], "versive": {"study": {"mode": "TEXT"}, "participants": [{"name": "a"}]}},
    {"targets": ["m1", "iv"], "language": "de", "questions": [question(answer_time=90)]},
    {"targets": ["m1"], "moved_from": "team/old-screen"},
    {
        "targets": ["iv"],
        "questions": [question()],
        "ignore_changes": ["instaview.job.description", "questions[0].text", "title"],
    },
]


@pytest.mark.parametrize("data", VALID)
def test_right_definitions_raise_nothing(data: dict[str, Any]) -> None:
    assert check(context(data)) == []


def test_micro1_answer_time_bounds_are_inclusive() -> None:
    times = [59, 60, 240, 241]
    data = {"targets": ["m1"], "questions": [question(answer_time=t) for t in times]}
    paths = [i.path for i in check(context(data))]
    assert paths == [("questions", 0, "answer_time"), ("questions", 3, "answer_time")]


def test_micro1_question_limit_points_at_the_first_question_too_many() -> None:
    data = {"targets": ["m1"], "questions": [question() for _ in range(21)]}
    assert [i.path for i in check(context(data))] == [("questions", 20)]


def test_rules_for_a_platform_apply_only_when_it_is_targeted() -> None:
    data = {"targets": ["jm"], "description": "x", "questions": [question(answer_time=600)]}
    assert check(context({**data, "jobmojito": JM})) == []  # 10 minutes is fine on JobMojito


def test_schedule_window_is_30_days_from_the_validation_clock() -> None:
    def sessions_at(when: datetime) -> list[Issue]:
        data = {
            "targets": ["iv"],
            "questions": [question()],
            "instaview": {
                "job_id": UUID,
                "sessions": [session(candidate_id=UUID, schedule_time=when)],
            },
        }
        return check(context(data))

    assert sessions_at(NOW + timedelta(days=30)) == []
    late = sessions_at(NOW + timedelta(days=30, seconds=1))
    assert [i.message for i in late] == [
        "schedule_time is more than 30 days ahead (2026-12-23T12:00:01Z)"
    ]
    past = sessions_at(NOW - timedelta(days=1))
    assert [i.message for i in past] == ["schedule_time is in the past (2026-11-22T12:00:00Z)"]


def test_a_past_schedule_the_lockfile_records_as_sent_is_history() -> None:
    """Once created, a scheduled session keeps its schedule_time in the definition; the
    lockfile proving it was sent so, the time passing is no problem. Sent otherwise (or
    not at all), it would be created now, in the past: refused."""
    when = NOW - timedelta(days=1)
    data = {
        "targets": ["iv"],
        "questions": [question()],
        "instaview": {"job_id": UUID, "sessions": [session(candidate_id=UUID, schedule_time=when)]},
    }
    definition = Definition.model_validate({"title": "Screen", **data})

    def checked(recorded: dict[str, Any]) -> list[str]:
        ctx = RuleContext.build(
            "team/screen", definition, TARGETS, frozenset(data), NOW, applied=recorded.get
        )
        return [i.message for i in check(ctx)]

    assert checked({"team/screen@iv#s1": {"scheduleTime": "2026-11-22T12:00:00Z"}}) == []
    in_the_past = ["schedule_time is in the past (2026-11-22T12:00:00Z)"]
    assert checked({"team/screen@iv#s1": {"scheduleTime": "2026-11-22T13:00:00Z"}}) == in_the_past
    assert (
        checked({"team/screen@iv#other": {"scheduleTime": "2026-11-22T12:00:00Z"}}) == in_the_past
    )


def test_generic_agent_refuses_every_job_source() -> None:
    data = {
        "targets": ["iv"],
        "questions": [question()],
        "instaview": {
            "focus": "GENERIC",
            "job": {"title": "Engineer"},
            "sessions": [session(job_id=UUID, candidate={**CANDIDATE, "job_id": UUID})],
        },
    }
    generic = [i.path for i in check(context(data)) if "GENERIC" in i.message]
    assert generic == [
        ("instaview", "job"),
        ("instaview", "sessions", 0, "job_id"),
        ("instaview", "sessions", 0, "candidate", "job_id"),
    ]


def test_follow_up_messages_distinguish_self_later_and_unknown() -> None:
    data = {
        "targets": ["jm"],
        "description": "x",
        "jobmojito": JM,
        "questions": [
            question(id="a", follow_up_to="a"),
            question(id="b", follow_up_to="c"),
            question(id="c"),
            question(id="d", follow_up_to="zz"),
        ],
    }
    messages = [i.message for i in check(context(data))]
    assert messages == [
        "a question cannot be a follow-up to itself",
        'follow_up_to "c" refers to a later question',
        'follow_up_to "zz" matches no earlier question id',
    ]


def test_languages_are_checked_per_platform() -> None:
    data: dict[str, Any] = {"targets": ["m1", "jm", "iv"], "language": "he", "description": "x"}
    data |= {"questions": [question()], "jobmojito": JM}
    unsupported = [i.message for i in check(context(data))]
    assert unsupported == [
        'language "he" (Hebrew) is not supported by JobMojito (target jm)',
        'language "he" (Hebrew) is not supported by Instaview (target iv)',
    ]


@pytest.mark.parametrize("code", ["pt-BR", "pt-br", "PT_br", "en-US", "EN", "es-419", "zh-CN"])
def test_variants_and_any_case_are_accepted_where_the_base_language_is(code: str) -> None:
    """The exact variant where a platform has it, else its base language (with a note
    in the plan): never refused for the spelling or a missing variant."""
    data: dict[str, Any] = {"targets": ["m1", "jm", "vs"], "language": code, "description": "x"}
    data |= {"questions": [question()], "jobmojito": JM, "versive": {"study_id": "st_1"}}
    assert check(context(data)) == []


def test_pronunciation_needs_a_language_jobmojito_scores() -> None:
    def fired_for(language: str) -> list[str]:
        data: dict[str, Any] = {"targets": ["jm"], "language": language, "description": "x"}
        data |= {"questions": [question()]}
        data |= {"jobmojito": {**JM, "required_pronunciation": True}}
        return [i.message for i in check(context(data))]

    assert fired_for("cs") == ["JobMojito (target jm) scores no pronunciation in Czech (cs)"]
    assert fired_for("pt-BR") == fired_for("EN") == fired_for("en-GB") == []


def test_section_rule_ignores_sections_that_came_from_defaults() -> None:
    definition = Definition.model_validate(
        {"title": "t", "targets": ["m1"], "jobmojito": {"location": "Remote"}}
    )
    from_defaults = RuleContext.build("a", definition, TARGETS, frozenset({"title"}), NOW)
    assert check(from_defaults) == []
    written = RuleContext.build("a", definition, TARGETS, frozenset({"jobmojito"}), NOW)
    assert [i.path for i in check(written)] == [("jobmojito",)]


def test_unknown_targets_do_not_cascade_into_section_problems() -> None:
    data = {"targets": ["m2"], "instaview": {"focus": "GENERIC"}}
    assert [i.message for i in check(context(data))] == [
        'target "m2" is not defined in interform.yaml'
    ]
