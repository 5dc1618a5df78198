"""`interform import --generate`: the definition written for an imported object starts
with the schema comment, validates, is canonically formatted, and plans no change —
also when interform.yaml `defaults:` would otherwise fill what the file leaves out."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_state_support import PROJECT, forget, run, sandbox_apply, sandbox_lock, write

MICRO1 = """\
title: Data engineer — screen
language: de
targets: [micro1]
questions:
  - text: "Describe a pipeline you own.\\nWhat breaks first?"
    answer_time: 90
    answer_type: text
  - text: Why this team?
    answer_time: 4m
skills:
  - name: SQL
    description: Window functions and query plans.
  - name: Airflow
micro1:
  can_change_interview_language: true
  is_coding_round_required: true
  selected_coding_language: python
  coding_exercise_details: Parse a CSV without pandas.
  is_proctoring_required: false
"""

AGENT = """\
title: Support screen
description: Be friendly.
language: sk
targets: [iv]
questions:
  - text: How do you calm an angry customer?
instaview:
  type: PHONE
  focus: GENERIC
  duration: 20
  cefr_level: B2
"""

STUDY = """\
title: Churn interviews
targets: [vs]
versive:
  study:
    mode: VOICE_ONLY
    config:
      interviewName: Churn
    welcome_message:
      title: Hello
      body: Thanks for joining.
"""


def _generated(tmp_path: Path, name: str, text: str, address: str, project: str = PROJECT) -> Path:
    """Apply `text`, forget it (as if made by hand), import it back with --generate."""
    root = tmp_path
    (root / "interform.yaml").write_text(project)
    relpath = f"interviews/{name}.yaml"
    write(root, relpath, text)
    sandbox_apply(root)
    ids = forget(root, address, delete=(relpath,))
    result = run(root, "import", "--sandbox", "--generate", address, ids[address])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"Wrote {relpath}; `interform -C {root} plan --sandbox` shows no change for it."
    )
    return root / relpath


def _clean(root: Path) -> None:
    assert run(root, "validate").exit_code == 0
    fmt = run(root, "fmt", "--check")
    assert fmt.exit_code == 0, fmt.output
    plan = run(root, "plan", "--sandbox")
    assert "No changes. Your interviews match the lockfile." in plan.output, plan.output


def test_micro1_interview_round_trips(tmp_path: Path) -> None:
    path = _generated(tmp_path, "data/engineer", MICRO1, "data/engineer@micro1")
    remote_id = sandbox_lock(tmp_path).entries["data/engineer@micro1"].remote_id
    assert path.read_text() == (
        "# yaml-language-server: $schema=../../schemas/interview.schema.json\n"
        f"# Imported from micro1 (micro1 interview {remote_id}) by `interform import "
        "--generate`.\n"
        "title: Data engineer — screen\n"
        "language: de\n"
        "targets:\n"
        "  - micro1\n"
        "questions:\n"
        "  - text: |-\n"
        "      Describe a pipeline you own.\n"
        "      What breaks first?\n"
        "    answer_time: 90\n"
        "    answer_type: text\n"
        "  - text: Why this team?\n"
        "    answer_time: 4m\n"
        "skills:\n"
        "  - name: SQL\n"
        "    description: Window functions and query plans.\n"
        "  - name: Airflow\n"
        "micro1:\n"
        "  can_change_interview_language: true\n"
        "  is_coding_round_required: true\n"
        "  selected_coding_language: python\n"
        "  coding_exercise_details: Parse a CSV without pandas.\n"
        "  is_proctoring_required: false\n"
    )
    _clean(tmp_path)


def test_instaview_agent_round_trips(tmp_path: Path) -> None:
    path = _generated(tmp_path, "support/screen", AGENT, "support/screen@iv")
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/interview.schema.json\n")
    assert "description: Be friendly.\n" in text and "  cefr_level: B2\n" in text
    _clean(tmp_path)


def test_versive_study_round_trips(tmp_path: Path) -> None:
    path = _generated(tmp_path, "churn", STUDY, "churn@vs")
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/interview.schema.json\n")
    assert "    mode: VOICE_ONLY\n" in text and "type:" not in text
    _clean(tmp_path)


JOBMOJITO = """\
title: Warehouse shift lead
description: Night-shift leads for the Brno warehouse.
language: cs
targets: [jm]
questions:
  - id: safety
    text: How do you run a safety briefing?
    answer_time: 2m
  - id: safety-follow-up
    follow_up_to: safety
    text: What do you do when someone skips it?
    answer_time: 75
    jobmojito:
      is_without_scoring: true
  - text: Anything you want to ask us?
    jobmojito:
      is_candidate_asking_recruiter: true
jobmojito:
  status: draft
  visibility: merchant_unlisted
  interview_tone: Professional
  interview_attempts: 3
  tags: [warehouse, nights]
  hiring_for_company:
    name: Acme Logistics
"""


def test_jobmojito_interview_round_trips_leaving_out_project_defaults(tmp_path: Path) -> None:
    project = PROJECT + (
        "  jm:\n    provider: jobmojito\ndefaults:\n  jobmojito:\n"
        "    interview_template_id: 46b98d37-1557-4391-beca-03037ead19f2\n"
    )
    path = _generated(tmp_path, "ops/lead", JOBMOJITO, "ops/lead@jm", project)
    text = path.read_text()
    assert "interview_template_id" not in text  # the project default supplies it
    assert "  - id: safety\n" in text and "    follow_up_to: safety\n" in text
    assert "    answer_time: 75\n" in text and "  interview_tone: professional\n" in text
    assert "Anything you want to ask us?" in text and text.count("  - id:") == 2
    _clean(tmp_path)


def test_values_equal_to_model_defaults_are_spelled_when_project_defaults_differ(
    tmp_path: Path,
) -> None:
    project = PROJECT + (
        "defaults:\n  language: de\n  micro1:\n    is_proctoring_required: false\n"
        "  instaview:\n    focus: GENERIC\n    instructions: Project-wide instructions.\n"
    )
    plain = (
        "title: Plain\nlanguage: en\ntargets: [micro1]\nmicro1:\n  is_proctoring_required: true\n"
    )
    path = _generated(tmp_path, "plain", plain, "plain@micro1", project)
    text = path.read_text()
    assert "language: en\n" in text and "  is_proctoring_required: true\n" in text
    _clean(tmp_path)
    agent = (
        "title: Agent\ndescription: Own words.\ntargets: [iv]\nquestions:\n  - text: Why?\n"
        "instaview:\n  focus: SCREENING\n"
    )
    path = _generated(tmp_path, "agent", agent, "agent@iv", project)
    text = path.read_text()
    # the project's instructions won over the description when it was applied, and
    # the project default gives them again: not repeated
    assert "  focus: SCREENING\n" in text and "  instructions:" not in text
    _clean(tmp_path)


@pytest.mark.parametrize(
    ("address", "setup", "expected"),
    [
        (
            "eng/frontend@micro1",
            "keep",
            "interviews/eng/frontend.yaml: interviews/eng/frontend.yaml already exists — "
            "it is never overwritten",
        ),
        (
            "eng/backend@iv#smoke",
            "delete",
            "interviews/eng/backend.yaml: eng/backend@iv#smoke is a session: it is defined "
            "inside its interview's file, not a file of its own — import it without "
            "--generate and add it there",
        ),
    ],
)
def test_generate_refusals(tmp_path: Path, address: str, setup: str, expected: str) -> None:
    from .test_state_support import make_project

    root = make_project(tmp_path)
    sandbox_apply(root)
    source = sandbox_lock(root).entries[address].source
    assert source is not None
    before = (root / source).read_text()
    ids = forget(root, address, delete=(source,) if setup == "delete" else ())
    result = run(root, "import", "--sandbox", "--generate", address, ids[address])
    assert result.exit_code == 1
    assert result.output == expected + "\n"
    assert address not in sandbox_lock(root).entries
    if setup == "keep":
        assert (root / source).read_text() == before
