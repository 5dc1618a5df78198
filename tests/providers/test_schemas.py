"""interform.providers.schemas: the shipped schemas are sound, and violations come back
as JSON pointers with short messages."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from interform.providers import schemas
from interform.providers.base import BodyProblem


def test_every_shipped_schema_is_a_valid_draft_2020_12_document() -> None:
    found = schemas.names()
    assert "micro1.interview.create.request" in found
    assert "jobmojito.interview.create.request" in found
    for name in found:
        document = schemas.load(name)
        Draft202012Validator.check_schema(document)
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema", name
        assert document["$id"].endswith(f"/{name}.json"), name
        assert document.get("description"), f"{name} has no description"


def test_load_returns_a_fresh_copy() -> None:
    first = schemas.load("micro1.error.response")
    first["title"] = "changed"
    assert schemas.load("micro1.error.response")["title"] != "changed"


def test_unknown_schema_name() -> None:
    with pytest.raises(KeyError, match=r"no provider schema named 'nope\.request'"):
        schemas.problems("nope.request", {})


def test_valid_body_has_no_problems() -> None:
    body = {"interview_name": "Backend", "custom_question_list": [{"question": "Why?", "time": 2}]}
    assert schemas.problems("micro1.interview.create.request", body) == []


def test_every_problem_is_reported_with_a_pointer() -> None:
    body = {
        "skills": [{"name": f"s{i}"} for i in range(11)],
        "custom_question_list": [{"question": "Why?", "time": 5, "type": "video"}],
        "interview_language": "klingon",
        "is_proctoring_required": "yes",
        "surprise": 1,
    }
    assert schemas.problems("micro1.interview.create.request", body) == [
        BodyProblem("/custom_question_list/0/time", "must be at most 4 — got 5"),
        BodyProblem("/custom_question_list/0/type", 'must be one of: audio, text — got "video"'),
        BodyProblem("/interview_language", _enum_message("klingon")),
        BodyProblem("/interview_name", "is required"),
        BodyProblem("/is_proctoring_required", 'must be of type boolean — got "yes"'),
        BodyProblem("/skills", "must have at most 10 items — got 11"),
        BodyProblem("/surprise", "is not a field the platform accepts"),
    ]


def _enum_message(got: str) -> str:
    languages = schemas.load("micro1.interview.create.request")["properties"]
    allowed = languages["interview_language"]["enum"]
    return f'must be one of: {", ".join(allowed[:12])}, ... — got "{got}"'


def test_null_in_an_enum_is_shown_as_null() -> None:
    body = {"position_id": "p", "status": "gone"}
    (problem,) = schemas.problems("jobmojito.interview.set-state.request", body)
    assert problem.pointer == "/status"
    assert problem.message.startswith("must be one of: draft, active,")
    assert ", null — got" in problem.message


def test_any_of_reports_the_branch_that_came_closest() -> None:
    (problem,) = schemas.problems("jobmojito.interview.set-state.request", {"position_id": "p"})
    assert problem.pointer in ("/status", "/is_embedded")
    assert problem.message == "is required"


def test_pointer_escapes_tilde_and_slash() -> None:
    assert schemas.pointer(["a/b", "c~d", 3]) == "/a~1b/c~0d/3"
    assert schemas.pointer([]) == ""


def test_problems_are_deduplicated_and_sorted() -> None:
    body = {"interview_name": "", "skills": [{}, {}]}
    found = schemas.problems("micro1.interview.create.request", body)
    assert found == sorted(found, key=lambda p: (p.pointer, p.message))
    assert [p.pointer for p in found] == ["/interview_name", "/skills/0/name", "/skills/1/name"]
