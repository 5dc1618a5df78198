"""A Versive study and its participant sessions using every field a definition can set,
through the CLI against the sandbox served over HTTP: applied, updated in place (config,
metadata), those cleared the way the update endpoint allows, a create-only field
changed (a replacement, as the plan says), destroyed (forgotten: Versive documents no
delete) — every request checked against the shipped request schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from interform.lockfile.store import read_lockfile
from interform.providers import schemas

from .every_field import apply_ok, cli, invalid_requests, plans_nothing, serve, write_project

TOKEN = "VERSIVE_API_KEY"
STUDY = "research@vs"
MARKER = f"interform:every-field:{STUDY}"
STUDIES, SESSIONS = "/api/v1/studies", "/api/v1/interviews"

HEAD = """\
title: Onboarding study
description: Conversations with new customers.
language: de
targets: [vs]
"""
PARTICIPANTS = """\
  participants:
    - name: acme
      title: Acme, first call
      metadata: {crm: {account: 17}}
    - name: fjord
"""
EVERY = (
    HEAD
    + """\
versive:
  study:
    type: VERSIVE_STUDY
    mode: TEXT_AND_VOICE
    config: {interviewName: Onboarding, primaryColor: "#0044ff"}
    metadata: {team: research}
    welcome_message: {title: Welcome, body: Thanks for joining.}
    thank_you_message: {title: Thank you, body: We read every answer.}
    screen_out_message: {title: Sorry, body: This study is for customers.}
    folder_id: folder_42
"""
    + PARTICIPANTS
)


@pytest.fixture
def served(tmp_path: Path) -> Any:
    with serve(tmp_path / "sandbox", "versive") as (url, log):
        root = tmp_path / "project"
        write_project(root, url, "vs", "versive", EVERY)
        (root / "interviews" / "every.yaml").rename(root / "interviews" / "research.yaml")
        yield root, log


def define(root: Path, text: str) -> None:
    (root / "interviews" / "research.yaml").write_text(text)


def applied(root: Path) -> None:
    apply_ok(root, TOKEN)


def no_changes(root: Path) -> None:
    plans_nothing(root, TOKEN)


def put_bodies(log: Any, mark: int) -> list[Any]:
    return [s.body for s in log.since(mark) if s.method == "PUT"]


def test_every_field_is_sent_valid(served: Any) -> None:
    root, log = served
    applied(root)
    assert invalid_requests(log) == []
    (study,) = log.bodies(STUDIES)
    create = schemas.load("versive.study.create.request")
    # insights: documented without a shape, so no definition field sends it
    assert set(create["properties"]) - set(study) == {"insights"}
    assert study["metadata"] == {"team": "research", "interform": MARKER}
    sessions = log.bodies(SESSIONS)
    fields = set(schemas.load("versive.session.create.request")["properties"])
    assert fields - {k for s in sessions for k in s} == set()
    assert {s["language"] for s in sessions} == {"German"}
    no_changes(root)
    assert cli(root, TOKEN, "refresh").exit_code == 0
    no_changes(root)


def test_config_and_metadata_update_in_place_and_clear(served: Any) -> None:
    root, log = served
    applied(root)
    define(root, EVERY.replace("#0044ff", "#ff4400").replace("team: research", "team: ux"))
    mark = len(log.requests)
    applied(root)
    assert not log.bodies(STUDIES, mark), "updated in place, not created again"
    (put,) = put_bodies(log, mark)
    assert put["config"]["primaryColor"] == "#ff4400"
    assert put["metadata"] == {"team": "ux", "interform": MARKER}
    no_changes(root)
    kept = [line for line in EVERY.splitlines() if not line.startswith(("    config:", "    meta"))]
    define(root, "\n".join(kept) + "\n")
    mark = len(log.requests)
    applied(root)
    (put,) = put_bodies(log, mark)
    # config: null is what the update schema documents for "no settings"; the metadata
    # keeps interform's marker, so it is never null
    assert put == {"config": None, "metadata": {"interform": MARKER}}
    assert invalid_requests(log) == []
    no_changes(root)


def test_a_create_only_field_is_a_replacement_the_plan_announces(served: Any) -> None:
    root, log = served
    applied(root)
    lock = read_lockfile(root / "interform.lock")
    assert lock is not None
    before = lock.entries[STUDY].remote_id
    define(root, EVERY.replace("folder_id: folder_42", "folder_id: folder_43"))
    plan = cli(root, TOKEN, "plan")
    assert "folder_id cannot be changed in place" in plan.output, plan.output
    mark = len(log.requests)
    applied(root)
    (study,) = log.bodies(STUDIES, mark)
    assert study["folder_id"] == "folder_43"
    lock = read_lockfile(root / "interform.lock")
    assert lock is not None and lock.entries[STUDY].remote_id != before
    assert invalid_requests(log) == []


def test_every_field_is_destroyed_by_forgetting(served: Any) -> None:
    root, log = served
    applied(root)
    mark = len(log.requests)
    result = cli(root, TOKEN, "destroy", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert log.since(mark) == [], "Versive documents no delete: nothing is sent"
    lock = read_lockfile(root / "interform.lock")
    assert lock is None or not lock.entries
