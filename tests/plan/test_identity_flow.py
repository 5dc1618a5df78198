"""One identity from a definition to the lockfile and back: the resources a real project
renders, the changes that create them, the entries that record them (and a replaced
object's deposed entry), the changes planned from those entries and a saved plan all
name each object by one equal `Identity`."""

from __future__ import annotations

import json
from pathlib import Path

from interform.lockfile.model import Entry, Lockfile
from interform.lockfile.store import new_lockfile
from interform.plan.codec import change_from_data, change_to_data
from interform.plan.model import Action
from interform.plan.planner import make_plan
from interform.plan.simulate import simulate
from interform.providers.base import DesiredResource
from interform.providers.registry import kind_spec
from interform.workspace import build_plan, open_workspace

from .projects import make_project


def rendered(root: Path) -> dict[str, DesiredResource]:
    return {r.address: r for r in open_workspace(root).desired}


def test_desired_entry_and_change_share_one_identity(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    desired = rendered(root)
    # a definition resource, and a session owned by one
    assert any(r.parent is None for r in desired.values())
    assert any(r.parent in desired for r in desired.values())

    plan = build_plan(open_workspace(root))
    assert sorted(c.address for c in plan.changes) == sorted(desired)
    for change in plan.changes:
        assert change.action is Action.CREATE
        assert change.identity == desired[change.address].identity

    lock = simulate(plan, new_lockfile(), now="2026-11-23T10:00:00Z")
    assert sorted(lock.entries) == sorted(desired)
    for address, entry in lock.entries.items():
        assert entry.identity(address) == desired[address].identity
        assert Entry.of(entry.identity(address), remote_id=entry.remote_id).model_dump(
            include={"interview", "target", "provider", "kind", "parent"}
        ) == entry.model_dump(include={"interview", "target", "provider", "kind", "parent"})

    # nothing defined any more: every removal names its object as its entry did
    removals = make_plan([], lock, specs=kind_spec)
    assert sorted(c.address for c in removals.changes) == sorted(desired)
    for change in removals.changes:
        assert change.identity == desired[change.address].identity


def test_a_deposed_entry_is_planned_as_the_same_object_replaced(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    desired = rendered(root)
    lock = simulate(build_plan(open_workspace(root)), new_lockfile(), now="t")
    session = next(r for r in desired.values() if r.parent is not None)
    old = session.identity.deposed("old-1")
    current = lock.entries[session.address]
    entries = {**lock.entries, old.address: current.model_copy(update={"remote_id": "old-1"})}
    plan = make_plan(desired.values(), Lockfile(lineage="l", entries=entries), specs=kind_spec)
    (change,) = plan.changes
    assert change.identity == old
    assert change.identity.live_address == session.address


def test_a_saved_change_keeps_its_identity(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    plan = build_plan(open_workspace(root))
    lock = simulate(plan, new_lockfile(), now="t")
    removals = make_plan([], lock, specs=kind_spec).changes
    for change in [*plan.changes, *removals]:
        again = change_from_data(json.loads(json.dumps(change_to_data(change))))
        assert again.identity == change.identity
        assert again == change
