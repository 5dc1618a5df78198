"""Versive rendering and plan-time checks: pure, no HTTP."""

from __future__ import annotations

from typing import Any, Literal

import pytest

from interform.model.definition import Definition
from interform.providers import schemas
from interform.providers.base import DesiredResource, Policy
from interform.providers.versive.provider import Versive


def render(**fields: Any) -> list[DesiredResource]:
    base: dict[str, Any] = {"title": "Customer research", "language": "de"}
    defn = Definition.model_validate({**base, **fields})
    return Versive.render(defn, "research/onboarding", "vs", "interviews/research/onboarding.yaml")


def pointers(
    res: DesiredResource, operation: Literal["create", "update"] = "create"
) -> dict[str, str]:
    found = Versive.request_problems(res, operation)
    return {p.pointer: p.message for p in found}


def test_without_a_versive_section_a_study_with_documented_defaults_is_created() -> None:
    (study,) = render(description="Why people sign up")
    assert study.kind == "study"
    assert study.address == "research/onboarding@vs"
    assert study.body == {
        "title": "Customer research",
        "description": "Why people sign up",
        "type": "VERSIVE_STUDY",
        "mode": "TEXT_AND_VOICE",
    }
    assert pointers(study) == {}
    assert pointers(study, "update") == {}


def test_managed_study_fields_and_origins() -> None:
    study, session = render(
        versive={
            "study": {
                "mode": "VOICE",
                "config": {"interviewName": "Onboarding", "primaryColor": "#112233"},
                "metadata": {"team": "growth"},
                "welcome_message": {"title": "Hi", "body": "Thanks for joining"},
                "thank_you_message": {"title": "Done"},
                "folder_id": "f-1",
            },
            "participants": [{"name": "p1"}],
        }
    )
    assert study.body == {
        "title": "Customer research",
        "type": "VERSIVE_STUDY",
        "mode": "VOICE",
        "config": {"interviewName": "Onboarding", "primaryColor": "#112233"},
        "metadata": {"team": "growth"},
        "welcome_message": {"title": "Hi", "body": "Thanks for joining"},
        "thank_you_message": {"title": "Done"},
        "folder_id": "f-1",
    }
    assert study.origin("/config/primaryColor") == ("versive", "study", "config")
    assert study.origin("/title") == ("title",)
    assert session.parent == study.address
    assert session.parent_remote_id is None


def test_only_config_and_metadata_update_in_place() -> None:
    spec = Versive.kinds["study"]
    assert spec.policy("config") is Policy.UPDATE
    assert spec.policy("metadata") is Policy.UPDATE
    for field in ("title", "description", "type", "mode", "welcome_message", "folder_id"):
        assert spec.policy(field) is Policy.REPLACE
    assert not spec.readable and not spec.discoverable
    assert Versive.kinds["session"].policy("title") is Policy.REPLACE


def test_referenced_study_is_not_managed() -> None:
    resources = render(
        versive={"study_id": "study_123", "participants": [{"name": "anna"}, {"name": "ben"}]}
    )
    assert [r.kind for r in resources] == ["session", "session"]
    anna = resources[0]
    assert anna.address == "research/onboarding@vs#anna"
    assert anna.parent is None
    assert anna.parent_remote_id == "study_123"
    assert pointers(anna) == {}


def test_session_body_defaults() -> None:
    _, session = render(versive={"participants": [{"name": "anna"}]})
    assert session.body == {"title": "Customer research — anna", "language": "German"}
    assert "study_id" not in session.body  # injected by create
    assert session.origin("/title") == ("title",)
    assert session.origin("/language") == ("language",)


def test_session_title_and_metadata_from_the_participant() -> None:
    _, session = render(
        versive={"participants": [{"name": "anna", "title": "Anna K.", "metadata": {"crm": 7}}]}
    )
    assert session.body == {"title": "Anna K.", "metadata": {"crm": 7}, "language": "German"}
    assert session.origin("/metadata") == ("versive", "participants", 0, "metadata")
    assert session.origin("/title") == ("versive", "participants", 0, "title")


def test_questions_cannot_be_sent_and_the_plan_says_so() -> None:
    (study,) = render(questions=[{"text": "How did you find us?"}], skills=[{"name": "UX"}])
    notes = " ".join(study.notes)
    assert "questions are not sent" in notes and "AI editor" in notes
    assert "skills are not sent" in notes
    assert render()[0].notes == ()
    sessions = render(
        questions=[{"text": "q"}], versive={"study_id": "s1", "participants": [{"name": "a"}]}
    )
    assert "questions are not sent" in sessions[0].notes[0]


def test_sessions_are_create_only() -> None:
    _, session = render(versive={"participants": [{"name": "anna"}]})
    assert "cannot be updated" in pointers(session, "update")[""]


def test_schema_requires_a_study_id_and_rejects_unknown_fields() -> None:
    found = {p.pointer: p.message for p in schemas.problems("versive.session.create.request", {})}
    assert found == {"/study_id": "is required"}
    found = {
        p.pointer: p.message
        for p in schemas.problems("versive.study.update.request", {"title": "x"})
    }
    assert "/title" in found


@pytest.mark.parametrize("language", ["en", "pt", "sk"])
def test_language_is_an_english_name(language: str) -> None:
    _, session = render(language=language, versive={"participants": [{"name": "a"}]})
    assert session.body["language"] in {"English", "Portuguese", "Slovak"}
