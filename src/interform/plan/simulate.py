"""What the lockfile looks like after a plan is applied successfully. Pure.

The apply engine records the same entries (`lockfile.applied.entry_from_desired`) as it
goes; tests use
`simulate` to check that a plan converges: planning again afterwards finds no change.
"""

from __future__ import annotations

from collections.abc import Callable

from interform.lockfile.applied import entry_from_desired
from interform.lockfile.model import Entry, Lockfile
from interform.plan.model import REMOVALS, Action, Change, Plan
from interform.providers.base import DesiredResource, with_refs

NewId = Callable[[Change], str]


def simulate(plan: Plan, lock: Lockfile, *, now: str, new_id: NewId | None = None) -> Lockfile:
    """`lock` after every change of `plan` succeeded (blocked changes stay as they are)."""
    # ids never seen in `lock`, so repeated simulations never give two objects one id
    taken = {e.remote_id for e in lock.entries.values()}
    fresh = (f"sim-{n}" for n in range(1, 1 << 62) if f"sim-{n}" not in taken)
    make_id = new_id or (lambda change: next(fresh))
    entries = {a: e.model_copy(deep=True) for a, e in lock.entries.items()}
    for change in plan.changes:  # dependency order: a parent before its sessions
        _apply(entries, change, now, make_id)
    return lock.model_copy(update={"entries": entries})


def _apply(entries: dict[str, Entry], change: Change, now: str, make_id: NewId) -> None:
    if change.action is Action.BLOCKED:
        return
    if change.action in REMOVALS:
        entries.pop(change.address, None)
        return
    assert change.desired is not None, f"{change.action.value} without a desired resource"
    res = with_refs(change.desired, lambda a: entries[a].remote_id if a in entries else None)
    if change.moved_from:
        entries.pop(change.moved_from, None)
    prior = change.prior
    remote_id: str | None
    if change.action in (Action.CREATE, Action.REPLACE) or prior is None:
        remote_id = make_id(change)
        parent_id = res.parent_remote_id or _parent_id(entries, res)
    else:
        remote_id = prior.remote_id
        parent_id = prior.parent_remote_id or res.parent_remote_id or _parent_id(entries, res)
    entries[change.address] = entry_from_desired(
        res, remote_id=remote_id, parent_remote_id=parent_id, now=now, prior=prior
    )


def _parent_id(entries: dict[str, Entry], res: DesiredResource) -> str | None:
    parent = entries.get(res.parent) if res.parent else None
    return parent.remote_id if parent else None
