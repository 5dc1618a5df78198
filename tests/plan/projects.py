"""A real project in a temporary directory, and running the CLI on it."""

from __future__ import annotations

from pathlib import Path

from interform.lockfile.store import new_lockfile, write_lockfile
from interform.plan.simulate import simulate
from interform.workspace import build_plan, open_workspace
from project_files import FRONTEND, backend, run, write_project

__all__ = ["FRONTEND", "run"]

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

# an existing candidate: the plan tests never reach a platform
SESSION = """\
  sessions:
    - name: smoke
      candidate_id: 3fa85f64-5717-4562-b3fc-2c963f66afa6
      is_test: true
"""


def make_project(root: Path, protect: bool = False) -> Path:
    definitions = {"eng/backend": backend(SESSION, protect=protect), "eng/frontend": FRONTEND}
    return write_project(root, PROJECT, definitions)


def applied(root: Path, lockfile: Path | None = None) -> None:
    """Record the current plan as applied, as a successful apply would."""
    ws = open_workspace(root)
    plan = build_plan(ws)
    path = lockfile or ws.lockfile_path
    write_lockfile(path, simulate(plan, ws.lock or new_lockfile(), now="2026-11-23T10:00:00Z"))
