"""Helpers of the state-command tests (no tests here): a real project in a temporary
directory, objects created in the in-process sandbox through the adapters themselves,
and the CLI run on it."""

from __future__ import annotations

from pathlib import Path

from interform.apply.connect import Connections
from interform.lockfile.applied import entry_from_desired
from interform.lockfile.model import Lockfile, Pending
from interform.lockfile.store import new_lockfile, write_lockfile
from interform.plan.model import Action
from interform.providers.base import make_marker, with_refs
from interform.workspace import build_plan, open_workspace
from project_files import FRONTEND, SMOKE_SESSION, backend, run, write_project
from project_files import write_file as write

from .support import PROJECT, sandbox_lock

__all__ = ["FRONTEND", "PROJECT", "run", "sandbox_lock", "write"]

NOW = "2026-11-23T10:00:00Z"
SANDBOX_LOCK = Path(".interform/sandbox/interform.lock")

STUDY = """\
title: Onboarding study
description: First-month customers.
targets: [vs]
versive:
  study:
    config:
      interviewName: Onboarding
    metadata:
      team: research
  participants:
    - name: acme
      metadata:
        account: ACME-1
"""


def make_project(root: Path, *, protect: bool = False, study: bool = False) -> Path:
    definitions = {
        "eng/backend": backend("  focus: GENERIC\n" + SMOKE_SESSION, protect=protect),
        "eng/frontend": FRONTEND,
    }
    if study:
        definitions["research/study"] = STUDY
    return write_project(root, PROJECT, definitions)


def sandbox_apply(root: Path) -> Lockfile:
    """Create everything the plan creates in the in-process sandbox, through the adapters,
    and record it in the sandbox lockfile the way apply does (creates only)."""
    ws = open_workspace(root, sandbox=True)
    lock = ws.lock or new_lockfile()
    project_id = ws.project.project or lock.lineage
    with Connections(ws) as connections:
        for change in build_plan(ws).changes:
            assert change.action is Action.CREATE and change.desired is not None
            res = with_refs(change.desired, lambda a: lock.entries[a].remote_id)
            parent = lock.entries[res.parent] if res.parent else None
            parent_id = parent.remote_id if parent else res.parent_remote_id
            marker = make_marker(project_id, res.address)
            made = connections[res.target].create(res, marker, parent_id)
            entry = entry_from_desired(
                res, remote_id=made.remote_id, parent_remote_id=parent_id, now=NOW
            )
            entry.urls, entry.private, entry.marker = made.urls, made.private, marker
            lock.entries[res.address] = entry
    return write_lockfile(ws.lockfile_path, lock)


def interrupt(root: Path, address: str, *, keep_id: bool = False) -> str:
    """Turn `address` into what a killed apply leaves: a create whose outcome is unknown
    (keep_id: a replacement, the old object still tracked). Returns the id it made."""
    lock = sandbox_lock(root)
    entry = lock.entries[address]
    op = Pending(
        op="create",
        started_at="2026-11-23T09:00:00Z",
        marker=entry.marker,
        digest=entry.digest,
        request=entry.request,
        parent_remote_id=entry.parent_remote_id,
    )
    update = {"pending": [op], "remote_id": "old-object-id" if keep_id else None}
    lock.entries[address] = entry.model_copy(update=update)
    write_lockfile(root / SANDBOX_LOCK, lock)
    return str(entry.remote_id)


def forget(root: Path, *addresses: str, delete: tuple[str, ...] = ()) -> dict[str, str]:
    """Stop tracking `addresses` (and delete the definition files `delete`), as if the
    objects had been made by hand on the platform: their remote ids by address."""
    lock = sandbox_lock(root)
    ids = {a: str(lock.entries[a].remote_id) for a in addresses}
    for address in addresses:
        del lock.entries[address]
    write_lockfile(root / SANDBOX_LOCK, lock)
    for relpath in delete:
        (root / relpath).unlink()
    return ids
