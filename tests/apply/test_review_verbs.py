"""Terraform's review verbs and what a reviewer is told, through the CLI against the
in-process sandbox: `ignore_changes` (sent on create, never reverted, listed as ignored),
`-replace=ADDRESS`, a refused apply that still shows its plan, and notes said only
where they matter."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from interform.lockfile.model import Lockfile
from interform.lockfile.store import read_lockfile
from interform.sandbox import state_dir, transport
from interform.workspace import SANDBOX_LOCKFILE

from .support import FRONTEND, make_project, run, write_definition

SCREEN = """\
title: Support screen
description: Screening for support agents.
targets: [iv]
ignore_changes:
  - instaview.instructions
questions:
  - text: Why support?
instaview:
  instructions: Be brisk.
"""


def lockfile(root: Path) -> Lockfile:
    lock = read_lockfile(root / SANDBOX_LOCKFILE)
    assert lock is not None
    return lock


def agent(root: Path, remote_id: str) -> dict[str, object]:
    """The agent as Instaview's dashboard shows it."""
    with _dashboard(root) as instaview:
        found: dict[str, object] = instaview.get(f"/agents/{remote_id}").raise_for_status().json()
        return found


def _dashboard(root: Path) -> httpx.Client:
    return httpx.Client(
        transport=transport("instaview", state_dir=state_dir(root)),
        base_url="https://sandbox.test",
        headers={"Authorization": "Bearer sandbox-iv"},
    )


def _applied(root: Path, *args: str) -> str:
    result = run(root, "apply", "--sandbox", "--auto-approve", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_ignore_changes_is_sent_on_create_then_never_reverted(tmp_path: Path) -> None:
    root = make_project(tmp_path, **{"eng/backend": "", "research/study": "", "ops/screen": SCREEN})
    _applied(root)
    agent_id = lockfile(root).entries["ops/screen@iv"].remote_id
    assert agent_id is not None and agent(root, agent_id)["instructions"] == "Be brisk."
    # an edit in the file is listed as ignored, and nothing is planned
    write_definition(root, "ops/screen", SCREEN.replace("Be brisk.", "Be brisk and warm."))
    plan = run(root, "plan", "--sandbox", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
    assert "Ignored (ignore_changes)" in plan.stdout
    assert '~ instructions: "Be brisk." → "Be brisk and warm."' in plan.stdout
    assert plan.stdout.endswith("No changes. Your interviews match the lockfile.\n")
    # a change made on the platform is not reverted, even when read back
    with _dashboard(root) as instaview:
        patch = {"instructions": "Edited by a recruiter."}
        instaview.patch(f"/agents/{agent_id}", json=patch).raise_for_status()
    refreshed = run(root, "plan", "--sandbox", "--refresh", "--detailed-exitcode")
    assert refreshed.exit_code == 0, refreshed.output
    assert '"Edited by a recruiter." → "Be brisk and warm."' in refreshed.stdout
    _applied(root, "--refresh")
    assert agent(root, agent_id)["instructions"] == "Edited by a recruiter."
    # a replacement makes a new object from the definition as written
    replaced = _applied(root, "-replace=ops/screen@iv")
    assert "1 replaced" in replaced
    new_id = lockfile(root).entries["ops/screen@iv"].remote_id
    assert new_id not in (None, agent_id)
    assert agent(root, str(new_id))["instructions"] == "Be brisk and warm."


def test_ignore_changes_that_covers_nothing_sent_is_an_error(tmp_path: Path) -> None:
    frontend = FRONTEND + "ignore_changes: [description, questions]\n"
    root = make_project(tmp_path, **{"eng/frontend": frontend})
    result = run(root, "plan", "--sandbox")
    assert result.exit_code == 1
    assert result.stderr == (
        'interviews/eng/frontend.yaml:5:18: ignore_changes: "description" covers nothing '
        "interform sends to micro1 — name a setting this definition sets and its targets "
        "receive, or remove it\n"
    )


def test_replace_is_planned_shown_and_applied(tmp_path: Path) -> None:
    root = make_project(tmp_path, **{"eng/backend": "", "research/study": ""})
    _applied(root)
    old = lockfile(root).entries["eng/frontend@micro1"].remote_id
    plan = run(root, "plan", "--sandbox", "--replace", "eng/frontend@micro1")
    assert "-/+ eng/frontend@micro1  (micro1 interview: replace)" in plan.stdout
    assert "# replacement requested (-replace)" in plan.stdout
    applied = _applied(root, "-replace=eng/frontend@micro1")
    assert f"old object {old} removed" in applied
    assert lockfile(root).entries["eng/frontend@micro1"].remote_id != old
    unknown = run(root, "apply", "--sandbox", "--auto-approve", "-replace=eng/nope@micro1")
    assert unknown.exit_code == 1 and "-replace eng/nope@micro1: no definition defines it" in (
        unknown.stderr
    )
    saved = tmp_path / "p.out"
    assert run(root, "plan", "--sandbox", "--out", str(saved)).exit_code == 0
    mixed = run(root, "apply", str(saved), "-replace=eng/frontend@micro1")
    assert mixed.exit_code == 1 and "-replace is part of the plan" in mixed.stderr


def test_a_refused_apply_shows_the_plan_it_refuses(tmp_path: Path) -> None:
    root = make_project(tmp_path, **{"research/study": ""})
    _applied(root)
    project = (root / "interform.yaml").read_text() + "safety:\n  max_deletes: 1\n"
    (root / "interform.yaml").write_text(project)
    write_definition(root, "eng/backend", "")
    result = run(root, "apply", "--sandbox", "--auto-approve")
    assert result.exit_code == 1
    assert "  - eng/backend@micro1  (micro1 interview: delete)" in result.stdout
    assert "Refused: nothing of this plan will be applied, because" in result.stdout
    assert re.search(
        r"^interform\.yaml:\d+:\d+: the plan would remove 5 objects", result.stderr, re.M
    )


MICRO1 = """\
title: Backend engineer
description: Screening for backend engineers.
targets: [micro1]
questions:
  - text: Tell us about a production incident you handled.
"""


def test_notes_are_said_when_the_object_is_made_or_their_field_changes(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, **{"eng/backend": MICRO1, "eng/frontend": "", "research/study": ""}
    )
    description = "description is not sent: micro1 interviews have no description field"
    untimed = "1 question(s) without answer_time are sent with 2 minutes"
    created = _flat(run(root, "plan", "--sandbox").stdout)
    assert description in created and untimed in created
    _applied(root)
    write_definition(root, "eng/backend", MICRO1.replace("Backend engineer", "Backend dev"))
    retitled = _flat(run(root, "plan", "--sandbox").stdout)
    assert "~ eng/backend@micro1" in retitled
    assert description not in retitled and untimed not in retitled
    write_definition(root, "eng/backend", MICRO1.replace("handled.", "led."))
    requestioned = _flat(run(root, "plan", "--sandbox").stdout)
    assert untimed in requestioned and description not in requestioned


def _flat(text: str) -> str:
    """Text with its wrapping undone."""
    return " ".join(text.split())
