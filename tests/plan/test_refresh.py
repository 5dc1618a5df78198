"""The --refresh seam: a RemoteReader (here a fake platform holding objects in memory)
feeds remote state and pending-create outcomes into a real workspace's plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from interform.lockfile.model import Entry, Lockfile, Pending
from interform.lockfile.store import read_lockfile, write_lockfile
from interform.plan.model import Action
from interform.providers.base import Found, RemoteState
from interform.workspace import PendingCreate, build_plan, open_workspace

from .projects import applied, make_project


class FakePlatform:
    """Objects by remote id, as the platforms would return them."""

    def __init__(self, objects: dict[str, dict[str, object]]) -> None:
        self.objects = objects
        self.reads = 0

    def read(self, entries: Mapping[str, Entry]) -> Mapping[str, RemoteState | None]:
        self.reads += 1
        states: dict[str, RemoteState | None] = {}
        for address, entry in entries.items():
            body = self.objects.get(entry.remote_id or "")
            states[address] = None if body is None else RemoteState(entry.remote_id or "", body)
        return states

    def resolve(self, pending: Sequence[PendingCreate]) -> Mapping[str, Found]:
        found: dict[str, Found] = {}
        for item in pending:
            request = item.entry.pending[0].request
            match = [rid for rid, body in self.objects.items() if body == request]
            found[item.address] = Found("found", match[0]) if len(match) == 1 else Found("absent")
        return found


def applied_project(tmp_path: Path) -> tuple[Path, Lockfile, FakePlatform]:
    """An applied project, its lockfile, and a platform holding what was applied."""
    root = make_project(tmp_path)
    applied(root)
    lock = read_lockfile(root / "interform.lock")
    assert lock is not None
    objects = {e.remote_id: dict(e.request or {}) for e in lock.entries.values() if e.remote_id}
    return root, lock, FakePlatform(objects)


def test_refresh_shows_drift_and_objects_deleted_outside(tmp_path: Path) -> None:
    root, lock, platform = applied_project(tmp_path)
    backend = lock.entries["eng/backend@micro1"]
    platform.objects[backend.remote_id or ""]["interview_name"] = "Renamed in the web UI"
    del platform.objects[lock.entries["eng/frontend@micro1"].remote_id or ""]
    plan = build_plan(open_workspace(root), reader=platform)
    assert plan.refreshed and platform.reads == 1
    by_address = {c.address: c for c in plan.changes}
    drifted = by_address["eng/backend@micro1"]
    assert drifted.action is Action.UPDATE
    assert [(f.name, f.before, f.after, f.drift) for f in drifted.fields] == [
        ("interview_name", "Renamed in the web UI", "Backend engineer", True)
    ]
    assert by_address["eng/frontend@micro1"].action is Action.CREATE
    assert "deleted outside interform" in by_address["eng/frontend@micro1"].reason
    assert sorted(by_address) == ["eng/backend@micro1", "eng/frontend@micro1"]


def test_refresh_resolves_interrupted_creates(tmp_path: Path) -> None:
    root, lock, platform = applied_project(tmp_path)
    for address in ("eng/backend@micro1", "eng/frontend@micro1"):
        entry = lock.entries[address]
        if address == "eng/frontend@micro1":  # the create never reached the platform
            del platform.objects[entry.remote_id or ""]
        op = Pending(op="create", started_at="2026-11-23T09:00:00Z", request=entry.request)
        lock.entries[address] = entry.model_copy(update={"remote_id": None, "pending": [op]})
    write_lockfile(root / "interform.lock", lock)
    offline = build_plan(open_workspace(root))
    assert {c.address: c.action for c in offline.changes} == {
        "eng/backend@micro1": Action.BLOCKED,
        "eng/frontend@micro1": Action.BLOCKED,
    }
    refreshed = build_plan(open_workspace(root), reader=platform)
    assert {c.address: c.action for c in refreshed.changes} == {
        "eng/backend@micro1": Action.ADOPT,
        "eng/frontend@micro1": Action.CREATE,
    }
