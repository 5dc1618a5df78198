"""Contract: a project that sets every field a micro1 definition can set, plus a webhook,
is applied, updated (every field changed, every optional setting cleared) and destroyed
through real `interform` processes against the sandbox served over HTTP; every request
body is checked at the emulator against the request schema interform ships for it
(`src/interform/data/providers/`), and none holds a null.

Seed coverage (the create page, seed 000, `POST /interview`): its request body has 13
leaf fields — interview_name, skills[].name, skills[].description,
custom_question_list[].question/.time/.type, interview_language,
can_change_interview_language, only_coding_round, is_coding_round_required,
selected_coding_language, coding_exercise_details, is_proctoring_required — and a
definition sets all 13 (`SEED_FIELDS` below is checked against the bodies sent)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from e2e.harness import dashboard
from project_files import write_definition, write_file

from .every_field import (
    ACCOUNT,
    Recorded,
    apply_ok,
    cli,
    invalid_requests,
    nulls,
    plans_nothing,
    serve,
    unchecked_writes,
)

TOKEN = "MICRO1_API_KEY"
PROJECT = """\
project: every-field
targets:
  m1:
    provider: micro1
    base_url: {url}
    webhooks:
      reports:
        url: https://hooks.example.com/micro1
        events: [interview_report.created]
        description: reports to the ATS
"""
FULL = """\
title: Data Engineer
language: es
targets: [m1]
questions:
  - id: pipeline
    text: Describe a data pipeline you built.
    answer_time: 3m
    answer_type: audio
  - id: sql
    text: Write a query for the top customers.
    answer_time: 4m
    answer_type: text
skills:
  - name: SQL
    description: Window functions and query plans.
  - name: Python
micro1:
  can_change_interview_language: true
  only_coding_round: false
  is_coding_round_required: true
  selected_coding_language: python
  coding_exercise_details: Build an ETL step without outside libraries.
  is_proctoring_required: false
"""
# every field changed; coding_exercise_details, a skill description and a question's
# answer_time removed; the webhook's description cleared and its URL and event changed
CHANGED = """\
title: Senior Data Engineer
language: fr
targets: [m1]
questions:
  - id: pipeline
    text: Describe the largest data pipeline you built.
    answer_type: text
skills:
  - name: SQL
micro1:
  can_change_interview_language: false
  only_coding_round: true
  is_coding_round_required: false
  selected_coding_language: go
  is_proctoring_required: true
"""
SEED_FIELDS = {
    "interview_name",
    "skills.name",
    "skills.description",
    "custom_question_list.question",
    "custom_question_list.time",
    "custom_question_list.type",
    "interview_language",
    "can_change_interview_language",
    "only_coding_round",
    "is_coding_round_required",
    "selected_coding_language",
    "coding_exercise_details",
    "is_proctoring_required",
}


def leaves(body: dict[str, Any]) -> set[str]:
    found = set()
    for key, value in body.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            found |= {f"{key}.{k}" for item in value for k in item}
        else:
            found.add(key)
    return found


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[Path, Path, Recorded]]:
    """(project root, sandbox state, the requests micro1's emulator answered)."""
    state, root = tmp_path / "sandbox", tmp_path / "project"
    with serve(state, "micro1") as (url, log):
        write_file(root, "interform.yaml", PROJECT.format(url=url))
        write_definition(root, "data/engineer", FULL)
        yield root, state, log


def stored(state: Path, kind: str) -> list[dict[str, Any]]:
    return list(dashboard(state, "micro1", ACCOUNT).get(kind, {}).values())


def test_every_field_applied_updated_cleared_and_destroyed(
    served: tuple[Path, Path, Recorded],
) -> None:
    root, state, log = served
    apply_ok(root, TOKEN)
    (created,) = log.bodies("/interview")
    assert leaves(created) == SEED_FIELDS
    (interview,) = stored(state, "interview")
    assert interview["coding_exercise_details"].startswith("Build an ETL step")
    assert interview["interview_language"] == "es"
    plans_nothing(root, TOKEN)

    write_definition(root, "data/engineer", CHANGED)
    project = (root / "interform.yaml").read_text()
    (root / "interform.yaml").write_text(
        project.replace("        description: reports to the ATS\n", "").replace(
            "micro1\n        events", "micro1/v2\n        events"
        )
    )
    result = cli(root, TOKEN, "apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "2 updated" in result.output, result.output
    (interview,) = stored(state, "interview")
    assert interview["interview_name"] == "Senior Data Engineer"
    assert interview["interview_language"] == "fr"
    assert interview["coding_exercise_details"] == ""  # cleared with "", never null
    assert interview["skills"] == [{"name": "SQL"}]
    assert interview["custom_question_list"][0]["time"] == 2  # interform's default, sent
    assert (interview["only_coding_round"], interview["selected_coding_language"]) == (True, "go")
    (hook,) = stored(state, "webhook")
    assert (hook["url"], hook["description"]) == ("https://hooks.example.com/micro1/v2", "")
    plans_nothing(root, TOKEN)

    result = cli(root, TOKEN, "destroy", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert stored(state, "interview") == [] and stored(state, "webhook") == []
    assert invalid_requests(log) == []
    assert nulls(log) == []
    assert unchecked_writes(log) == []
