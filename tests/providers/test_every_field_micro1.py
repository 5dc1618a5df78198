"""Contract: a project that sets every field a micro1 definition can set, plus a webhook,
is applied, updated (every field changed, every optional setting cleared) and destroyed
through the CLI against the sandbox; every request body is checked against the request
schema interform ships for it (`src/interform/data/providers/`), and none holds a null.

Seed coverage (the create page, seed 000, `POST /interview`): its request body has 13
leaf fields — interview_name, skills[].name, skills[].description,
custom_question_list[].question/.time/.type, interview_language,
can_change_interview_language, only_coding_round, is_coding_round_required,
selected_coding_language, coding_exercise_details, is_proctoring_required — and a
definition sets all 13 (`SEED_FIELDS` below is checked against the bodies sent)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from apply.support import Tap, apply_with, remote_objects
from interform.providers import schemas
from project_files import write_definition, write_file

PROJECT = """\
project: every-field
targets:
  m1:
    provider: micro1
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
SCHEMAS = {
    ("POST", r"/interview"): "micro1.interview.create.request",
    ("PUT", r"/interview/[^/]+"): "micro1.interview.update.request",
    ("POST", r"/webhook"): "micro1.webhook.create.request",
    ("PUT", r"/webhook/[^/]+"): "micro1.webhook.update.request",
}
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


class Checked:
    """Every write request, checked against its request schema as it is sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.problems: list[str] = []

    def __call__(self, target: str, request: httpx.Request) -> None:
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        path = request.url.path
        name = next(
            (s for (m, p), s in SCHEMAS.items() if m == request.method and re.fullmatch(p, path)),
            None,
        )
        body = json.loads(request.content)
        if name is None:
            self.problems.append(f"{request.method} {path}: no request schema")
            return None
        self.sent.append((name, body))
        self.problems += [f"{name}: {p.pointer} {p.message}" for p in schemas.problems(name, body)]
        if "null" in json.dumps(body):
            self.problems.append(f"{name}: a null was sent: {body}")
        return None


def leaves(body: dict[str, Any]) -> set[str]:
    found = set()
    for key, value in body.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            found |= {f"{key}.{k}" for item in value for k in item}
        else:
            found.add(key)
    return found


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    write_file(tmp_path, "interform.yaml", PROJECT)
    write_definition(tmp_path, "data/engineer", FULL)
    return tmp_path


def stored(root: Path, kind: str) -> list[dict[str, Any]]:
    held = remote_objects(root).get(("micro1", "m1"), {})
    return [obj for key, obj in held.items() if key.startswith(f"{kind}/")]


def test_every_field_applied_updated_cleared_and_destroyed(root: Path) -> None:
    checked = Checked()
    tap = Tap(root)
    tap.rules.append(checked)
    code, output = apply_with(root, tap)
    assert code == 0, output
    created = dict(checked.sent)
    assert leaves(created["micro1.interview.create.request"]) == SEED_FIELDS
    (interview,) = stored(root, "interview")
    assert interview["coding_exercise_details"].startswith("Build an ETL step")
    assert interview["interview_language"] == "es"

    write_definition(root, "data/engineer", CHANGED)
    (root / "interform.yaml").write_text(
        PROJECT.replace("        description: reports to the ATS\n", "").replace(
            "micro1\n        events", "micro1/v2\n        events"
        )
    )
    checked.sent.clear()
    code, output = apply_with(root, tap)
    assert code == 0, output
    assert "2 updated" in output, output
    (interview,) = stored(root, "interview")
    assert interview["interview_name"] == "Senior Data Engineer"
    assert interview["interview_language"] == "fr"
    assert interview["coding_exercise_details"] == ""  # cleared with "", never null
    assert interview["skills"] == [{"name": "SQL"}]
    assert interview["custom_question_list"][0]["time"] == 2  # interform's default, sent
    assert (interview["only_coding_round"], interview["selected_coding_language"]) == (True, "go")
    (hook,) = stored(root, "webhook")
    assert (hook["url"], hook["description"]) == ("https://hooks.example.com/micro1/v2", "")

    checked.sent.clear()
    code, output = apply_with(root, tap, destroy=True)
    assert code == 0, output
    assert stored(root, "interview") == [] and stored(root, "webhook") == []
    assert checked.problems == []
