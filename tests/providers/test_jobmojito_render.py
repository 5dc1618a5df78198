"""JobMojito rendering, pure: the create body, question ids, plan-time problems at their
YAML place, notes and read-back normalisation of what job-interview-get returns."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from interform.model.definition import Definition
from interform.providers.base import BodyProblem, DesiredResource
from interform.providers.jobmojito import readback
from interform.providers.jobmojito import render as jm_render
from interform.providers.jobmojito.provider import JobMojito

TEMPLATE = "46b98d37-1557-4391-beca-03037ead19f2"


def definition(**fields: Any) -> Definition:
    base: dict[str, Any] = {
        "title": "Senior Backend Engineer",
        "description": "Backend role",
        "questions": [{"id": "lead", "text": "Tell us about a project you led."}],
    }
    settings = {"interview_template_id": TEMPLATE, **fields.pop("jobmojito", {})}
    return Definition.model_validate({**base, "jobmojito": settings, **fields})


def desired(defn: Definition) -> DesiredResource:
    (res,) = JobMojito.render(defn, "engineering/backend", "jm", "interviews/backend.yaml")
    return res


def test_body_is_complete_with_documented_defaults() -> None:
    res = desired(definition())
    assert res.body == {
        "name": "Senior Backend Engineer",
        "description": "Backend role",
        "mojito_language_code": "en",
        "questions": [
            {"id": "lead", "external_id": "lead", "question": "Tell us about a project you led."}
        ],
        "interview_template_id": TEMPLATE,
        "location": "remote",
        "status": "active",
        "visibility": "merchant_invite",
        "type": "interview",
        "interview_tone": "relaxed",
        "required_pronunciation": False,
        "result_enable_edit_transcript": True,
    }
    assert "code" not in res.body, "the marker is injected at create"
    assert (res.address, res.kind, res.removal, res.sinks) == (
        "engineering/backend@jm",
        "interview",
        None,
        {},
    )


def test_question_ids_are_stable_hashes_unless_given() -> None:
    defn = definition(
        questions=[
            {"text": "Why us?"},
            {"text": "Why us?"},
            {"id": "lead", "text": "Tell us about a project you led.", "answer_time": 90},
            {"text": "What went wrong?", "follow_up_to": "lead", "jobmojito": {"is_expert": False}},
        ]
    )
    questions = desired(defn).body["questions"]
    first, again, lead, follow = questions
    assert first["id"] == first["external_id"]
    assert first["id"].startswith("q-") and len(first["id"]) == 12
    assert first["id"] == desired(defn).body["questions"][0]["id"], "stable"
    assert again["id"] == first["id"] + "-2", "a repeat stays unique"
    assert lead == {
        "id": "lead",
        "external_id": "lead",
        "question": "Tell us about a project you led.",
        "duration": 90,
    }
    assert follow["is_conditional"] is True
    assert follow["conditional_question_main_id"] == "lead"
    assert "is_expert" not in follow, "false means not set"


@pytest.mark.parametrize(("code", "mojito"), [("pt-BR", "br"), ("tl", "fil"), ("ko", "ko")])
def test_language_uses_jobmojito_codes(code: str, mojito: str) -> None:
    assert desired(definition(language=code)).body["mojito_language_code"] == mojito


def test_problems_point_at_their_yaml_place() -> None:
    defn = definition(
        language="ur",
        jobmojito={"interview_attempts": 25, "questions_random_subset": 0.95},
    )
    res = desired(defn)
    problems = {p.pointer: p.message for p in JobMojito.request_problems(res, "create")}
    assert problems["/interview_attempts"] == "must be at most 20 — got 25"
    assert problems["/questions_random_subset"] == "must be at most 0.9 — got 0.95"
    assert problems["/mojito_language_code"].endswith('— got "ur"')
    assert res.origin("/interview_attempts") == ("jobmojito", "interview_attempts")
    assert res.origin("/mojito_language_code") == ("language",)
    assert res.origin("/questions/0/question") == ("questions", 0, "text")
    update = {p.pointer for p in JobMojito.request_problems(res, "update")}
    assert "/interview_attempts" in update
    assert "/mojito_language_code" not in update, "never sent on update"


def test_a_follow_up_must_come_after_its_parent() -> None:
    res = desired(definition())
    body = dict(res.body)
    body["questions"] = [
        {"id": "b", "question": "B?", "is_conditional": True, "conditional_question_main_id": "a"},
        {"id": "a", "question": "A?"},
        {"id": "a", "question": "A again?"},
    ]
    broken = replace(res, body=body, digest="")
    assert JobMojito.request_problems(broken, "create") == [
        BodyProblem(
            "/questions/0/conditional_question_main_id", "must name an earlier question — got 'a'"
        ),
        BodyProblem("/questions/2/id", "is used twice — got 'a'"),
    ]


def test_notes_say_what_jobmojito_cannot_carry() -> None:
    defn = definition(
        description=None,
        skills=[{"name": "Python"}],
        questions=[{"text": "Write it down", "answer_type": "text"}],
        jobmojito={"interview_tone": "sarcastic"},
    )
    res = desired(defn)
    assert res.body["description"] == "Senior Backend Engineer"
    assert res.origin("/description") == ("title",)
    notes = " | ".join(res.notes)
    assert "skills are not sent" in notes
    assert "title is sent as JobMojito's required description" in notes
    assert "answer types are not sent" in notes
    assert "'sarcastic'" in notes


def test_embed_and_archive_settings() -> None:
    res = desired(
        definition(jobmojito={"embed": {"signing_key_file": ".keys/jm"}, "removal": "archived"})
    )
    assert res.body["is_embedded"] is True
    assert res.sinks == {"embed_signing_key": ".keys/jm"}
    assert res.removal is not None and res.removal.value == "archive"
    assert "removal" not in res.body and "embed" not in res.body


def test_update_wire_leaves_out_create_only_fields() -> None:
    body = desired(definition(jobmojito={"welcome_message": "Hi", "embed": {}})).body
    wire = jm_render.update_wire(body, "pid")
    assert wire["position_id"] == "pid"
    assert not set(wire) & {*jm_render.REPLACE_FIELDS, "is_embedded"}
    assert jm_render.update_wire(body, "pid", ["name", "welcome_message"]) == {
        "position_id": "pid",
        "name": "Senior Backend Engineer",
    }


def test_normalise_maps_real_ids_back_and_renamed_fields() -> None:
    got = {
        "name": "N",
        "description": "D",
        "mojito_language_code": "de",
        "interview_location": "Berlin",
        "interview_description_long": "Long",
        "result_scoring": {"max_retries": 4, "weights": {}},
        "creation_parameters": {"interview_tone": "simple", "additional_context": None},
        "status": "active",
        "code": "interform:acme:x@jm",
        "candidate_expectations_json": {"weak": ["generated"]},
        "questions": [
            {"id": "r1", "external_id": "lead", "question": "A?", "is_expert": False},
            {"id": "r2", "external_id": None, "question": "B?", "is_conditional": True,
             "conditional_question_main_id": "r1", "mojito_language_code": None},
        ],
    }  # fmt: skip
    body = readback.normalise(got, None)
    assert body == {
        "name": "N",
        "description": "D",
        "mojito_language_code": "de",
        "location": "Berlin",
        "description_long": "Long",
        "interview_attempts": 4,
        "custom_scoring": {"weights": {}},
        "candidate_expectations_json": {"weak": ["generated"]},
        "interview_tone": "simple",
        "status": "active",
        "questions": [
            {"id": "lead", "external_id": "lead", "question": "A?"},
            {"id": "r2", "question": "B?", "is_conditional": True,
             "conditional_question_main_id": "lead"},
        ],
    }  # fmt: skip
    prior = {"welcome_message": "Hi", "is_embedded": True}
    carried = readback.normalise(got, prior)
    assert carried["welcome_message"] == "Hi" and carried["is_embedded"] is True
    assert "interview_attempts" not in carried, "not clearable and not sent: not compared"
    assert "custom_scoring" not in carried and "candidate_expectations_json" not in carried
    assert "code" not in carried, "an old marker in code is not the team's reference"
