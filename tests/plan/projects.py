"""A real project in a temporary directory, and running the CLI on it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from interform.cli import main
from interform.lockfile.store import new_lockfile, write_lockfile
from interform.plan.simulate import simulate
from interform.workspace import build_plan, open_workspace

PROJECT = """\
project: demo
targets:
  micro1:
    provider: micro1
  iv:
    provider: instaview
safety:
  max_deletes: 2
"""

BACKEND = """\
title: Backend engineer
description: Screening for backend engineers.
targets: [micro1, iv]
protect: {protect}
questions:
  - id: incident
    text: Tell us about a production incident you handled.
    answer_time: 2m
  - id: review
    text: How do you review a pull request?
skills:
  - name: Python
instaview:
  sessions:
    - name: smoke
      candidate_id: 3fa85f64-5717-4562-b3fc-2c963f66afa6
      is_test: true
"""

FRONTEND = """\
title: Frontend engineer
targets: [micro1]
questions:
  - text: Which browser bug cost you the most time?
"""


def make_project(root: Path, protect: bool = False) -> Path:
    (root / "interviews" / "eng").mkdir(parents=True)
    (root / "interform.yaml").write_text(PROJECT)
    (root / "interviews" / "eng" / "backend.yaml").write_text(
        BACKEND.format(protect=str(protect).lower())
    )
    (root / "interviews" / "eng" / "frontend.yaml").write_text(FRONTEND)
    return root


def applied(root: Path, lockfile: Path | None = None) -> None:
    """Record the current plan as applied, as a successful apply would."""
    ws = open_workspace(root)
    plan = build_plan(ws)
    path = lockfile or ws.lockfile_path
    write_lockfile(path, simulate(plan, ws.lock or new_lockfile(), now="2026-11-23T10:00:00Z"))


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["-C", str(root), *args], env=env, catch_exceptions=False)
