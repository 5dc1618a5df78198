"""A JobMojito interview using every field a definition can set, through the CLI against
the sandbox served over HTTP: applied, updated in place, its optional settings cleared,
destroyed — every request checked against the shipped request schemas, and the
read-back (refresh, import) planning no change. Also: an interview an older version
made, with the ownership marker in `code`, stays interform's when `code` becomes an
ATS reference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from interform.lockfile.store import read_lockfile
from interform.providers import schemas
from interform.sandbox.jobmojito import KNOWLEDGE_BASES, sub_merchants_of

from .every_field import (
    ACCOUNT,
    Recorded,
    apply_ok,
    cli,
    define,
    invalid_requests,
    plans_nothing,
    serve,
    write_project,
)

TOKEN = "JOBMOJITO_TOKEN"
ADDRESS = "every@jm"
MARKER = f"interform:every-field:{ADDRESS}"
TEMPLATE = "46b98d37-1557-4391-beca-03037ead19f2"
KB = KNOWLEDGE_BASES[0]
SUB = sub_merchants_of(ACCOUNT)[0]
CREATE, UPDATE, SET_STATE = (
    "/job-interview-create-from-array",
    "/job-interview-update",
    "/job-interview-set-state",
)

HEAD = """\
title: Support specialist
description: Screening for support specialists.
language: en
targets: [jm]
"""
QUESTIONS = f"""\
questions:
  - id: ATS-Q1
    text: A customer was charged twice. What is your first reply?
    answer_time: 2m
    jobmojito:
      label: empathy
      is_expert: true
      question_alternatives: ["What do you say first to a double-charged customer?"]
      knowledge_base_id: {KB}
      mojito_language_code: de
      external_data: {{ats: {{question: 17}}}}
      candidate_expectations_json: {{weak: [Apologises], strong: [Refunds at once]}}
  - id: ATS-Q2
    text: Have you ever had to refuse a refund?
    jobmojito:
      is_multiple_choice: true
      is_without_scoring: true
  - id: ATS-Q2.1
    follow_up_to: ATS-Q2
    text: How did you explain it?
  - text: What would you like to ask us?
    jobmojito:
      is_candidate_asking_recruiter: true
"""
# what cannot change in place (a change would be a replacement)
FIXED = f"""\
jobmojito:
  interview_template_id: {TEMPLATE}
  merchant_id: {SUB}
  welcome_message: Welcome to your interview.
  thank_you_message: Thank you, we will be in touch.
  instructional_video: true
  instructional_video_custom_text: Watch this first.
  removal: archived
"""
SETTINGS = f"""\
  location: Berlin
  status: active
  visibility: merchant_unlisted
  type: interview
  recording: audio_all
  recording_full_session: audio_all
  interview_type: second-interview
  seniority_level: senior
  result_view: full
  candidate_video_introduction: optional
  interview_conversation_speed: slower
  interview_tone: Professional
  interview_attempts: 2
  questions_random_subset: 0.5
  max_followups: 2
  description_long: "## The role\\nTier 2 support."
  candidate_expectations: Calm under pressure.
  cover_image_url: https://example.com/cover.png
  interview_department: Support
  interview_salary: 40k-50k EUR
  interview_available_till: 2030-12-31
  recruiter_profile_id: 2f1e0d9c-8b7a-4654-9321-0fedcba98765
  knowledge_base_store_id: {KB}
  tags: [support, emea]
  hiring_for_company:
    name: Acme
    description: Payments.
    location: Lisbon
    sector: Fintech
    company_size: 100-200
  required_pronunciation: true
  result_enable_edit_transcript: false
  code: ATS-REQ-4711
  custom_scoring: {{max_score: 10, early_stop: false}}
  candidate_expectations_json: {{weak: [Polite], moderate: [Clear], strong: [Owns it], notes: kept}}
  additional_context: {{team: Tier 2}}
  disable_deduplication: true
  pdf_export_auto_config:
    mojito_language_code: en
    contact_details: true
    ai_recruiter_assessment: true
    ai_scoring_rubric: true
    analytics: false
    files: true
    transcript: true
    answer_recording: false
    session_recording: false
    group_by_question: true
    template: modern
  embed: {{enabled: true}}
"""
EVERY = HEAD + QUESTIONS + FIXED + SETTINGS
# what cannot change in place stays; everything optional goes
CLEARED = (
    HEAD + "questions:\n  - text: A customer was charged twice. What is your first reply?\n" + FIXED
)


@pytest.fixture
def served(tmp_path: Path) -> Any:
    with serve(tmp_path / "sandbox", "jobmojito") as (url, log):
        root = tmp_path / "project"
        write_project(root, url, "jm", "jobmojito", EVERY)
        yield root, url, log


def applied(root: Path) -> None:
    apply_ok(root, TOKEN)


def no_changes(root: Path) -> None:
    plans_nothing(root, TOKEN)


def remote_id(root: Path) -> str:
    lock = read_lockfile(root / "interform.lock")
    assert lock is not None
    found = lock.entries[ADDRESS].remote_id
    assert found is not None
    return found


def stored(url: str, position: str) -> dict[str, Any]:
    """The interview as the platform returns it (what a dashboard shows)."""
    got = httpx.get(
        f"{url}/job-interview-get",
        params={"position_id": position},
        headers={"Authorization": f"Bearer sandbox-{ACCOUNT}"},
    )
    assert got.status_code == 200, got.text
    body: dict[str, Any] = got.json()
    return body


def test_every_field_is_sent_valid_and_reads_back_without_a_diff(served: Any) -> None:
    root, url, log = served
    applied(root)
    assert invalid_requests(log) == []
    (sent,) = log.bodies(CREATE)
    create = schemas.load("jobmojito.interview.create.request")
    assert set(create["properties"]) - set(sent) == set(), "a create field no definition sets"
    question_fields = set(create["properties"]["questions"]["items"]["properties"])
    assert question_fields - {k for q in sent["questions"] for k in q} == set()
    assert sent["code"] == "ATS-REQ-4711" and sent["tags"] == ["support", "emea", MARKER]
    assert sent["merchant_id"] == SUB
    assert sent["questions"][0]["mojito_language_code"] == "de"
    got = stored(url, remote_id(root))
    assert got["merchant_id"] == SUB and got["code"] == "ATS-REQ-4711"
    assert got["result_scoring"] == {"max_score": 10, "early_stop": False, "max_retries": 2}
    assert got["questions"][0]["external_data"] == {"ats": {"question": 17}}
    no_changes(root)
    assert cli(root, TOKEN, "refresh").exit_code == 0
    no_changes(root)
    # read back from scratch: the interview imported into an empty lockfile
    position = remote_id(root)
    assert cli(root, TOKEN, "state", "rm", ADDRESS).exit_code == 0
    imported = cli(root, TOKEN, "import", ADDRESS, position)
    assert imported.exit_code == 0, imported.output
    no_changes(root)
    assert invalid_requests(log) == []


def test_every_field_updates_in_place_and_clears_without_null(served: Any) -> None:
    root, url, log = served
    applied(root)
    define(
        root,
        EVERY.replace("location: Berlin", "location: Lisbon")
        .replace("ATS-REQ-4711", "ATS-REQ-4712")
        .replace("tags: [support, emea]", "tags: [support]")
        .replace("max_score: 10", "max_score: 20")
        .replace("template: modern", "template: one_pager")
        .replace("question: 17", "question: 18"),
    )
    mark = len(log.requests)
    applied(root)
    (update,) = log.bodies(UPDATE, mark)
    assert (update["location"], update["code"]) == ("Lisbon", "ATS-REQ-4712")
    assert update["tags"] == ["support", MARKER], "a new code never drops the marker"
    assert update["custom_scoring"] == {"max_score": 20, "early_stop": False}
    assert not log.bodies(CREATE, mark), "changed in place, not replaced"
    no_changes(root)

    define(root, CLEARED)
    plan = cli(root, TOKEN, "plan")
    assert plan.exit_code == 0, plan.output
    for name in ("result_view", "interview_attempts", "custom_scoring"):
        assert f"{name} cannot be cleared in place: JobMojito keeps the value" in plan.output
    assert "1 to update, 0 to replace" in plan.output
    mark = len(log.requests)
    applied(root)
    assert invalid_requests(log) == []
    (update,) = log.bodies(UPDATE, mark)
    assert not {"result_view", "interview_attempts", "custom_scoring"} & set(update)
    assert "candidate_expectations_json" not in update, "cleared by regenerating, not null"
    assert update["regenerate_candidate_expectations"] is True
    assert update["tags"] == [MARKER] and update["code"] is None
    assert [b.get("is_embedded") for b in log.bodies(SET_STATE, mark)] == [False]
    got = stored(url, remote_id(root))
    assert (got["code"], got["tags"], got["pdf_export_auto_config"]) == (None, [MARKER], None)
    assert got["result_view"] == "full", "kept, as the plan said"
    assert got["candidate_expectations_json"]["weak"][0].startswith("Answers: ")
    no_changes(root)
    assert cli(root, TOKEN, "refresh").exit_code == 0
    no_changes(root)


def test_every_field_is_destroyed(served: Any) -> None:
    root, url, log = served
    applied(root)
    position = remote_id(root)
    mark = len(log.requests)
    result = cli(root, TOKEN, "destroy", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert log.bodies(SET_STATE, mark) == [{"position_id": position, "status": "archived"}]
    assert stored(url, position)["status"] == "archived"
    assert invalid_requests(log) == []


def _as_an_older_version_made_it(url: str, position: str, log: Recorded) -> None:
    """The marker in `code`, no marker tag: what interform before the move wrote."""
    answer = httpx.post(
        f"{url}{UPDATE}",
        json={"position_id": position, "code": MARKER, "tags": None},
        headers={"Authorization": f"Bearer sandbox-{ACCOUNT}"},
    )
    assert answer.status_code == 200, answer.text
    assert stored(url, position)["code"] == MARKER


def test_an_interview_marked_in_code_by_an_older_version_stays_ours(served: Any) -> None:
    root, url, log = served
    plain = HEAD + QUESTIONS + f"jobmojito:\n  interview_template_id: {TEMPLATE}\n"
    define(root, plain)
    applied(root)
    position = remote_id(root)
    _as_an_older_version_made_it(url, position, log)
    no_changes(root)  # its lockfile entry keeps working as it is
    # lost from the lockfile: refresh finds it again by the marker in code
    assert cli(root, TOKEN, "state", "rm", ADDRESS).exit_code == 0
    assert cli(root, TOKEN, "refresh").exit_code == 0
    assert remote_id(root) == position
    no_changes(root)
    # the team takes code for its ATS reference: the marker moves into the tags
    define(root, plain + "  code: ATS-REQ-1\n")
    mark = len(log.requests)
    applied(root)
    (update,) = log.bodies(UPDATE, mark)
    assert (update["code"], update["tags"]) == ("ATS-REQ-1", [MARKER])
    got = stored(url, position)
    assert (got["code"], got["tags"]) == ("ATS-REQ-1", [MARKER])
    assert cli(root, TOKEN, "state", "rm", ADDRESS).exit_code == 0
    assert cli(root, TOKEN, "refresh").exit_code == 0
    assert remote_id(root) == position
    no_changes(root)
    assert invalid_requests(log) == []
