"""The convergence check after an apply: read back what this apply created or changed,
plan again against it, and report what did not come back as sent (fields the platform
rewrote or ignored). Only the touched objects are read, so it costs one read per object
(micro1 reads list pages, each page once)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from interform.apply.executor import APPLIED, Outcome
from interform.apply.remote import PlatformReader
from interform.apply.tasks import CREATE, UPDATE
from interform.errors import UserError
from interform.lockfile.model import Entry, Lockfile
from interform.providers.base import Found, RemoteState
from interform.workspace import PendingCreate, Workspace


class _Fixed:
    """A RemoteReader answering with states already read."""

    def __init__(self, states: Mapping[str, RemoteState | None]) -> None:
        self.states = states

    def read(self, entries: Mapping[str, Entry]) -> Mapping[str, RemoteState | None]:
        return {a: s for a, s in self.states.items() if a in entries}

    def resolve(self, pending: Sequence[PendingCreate]) -> Mapping[str, Found]:
        return {}


def touched(outcomes: Sequence[Outcome]) -> list[str]:
    return sorted(
        o.task.change.address
        for o in outcomes
        if o.status == APPLIED and o.task.op in (CREATE, UPDATE) and o.task.sends
    )


def check(
    ws: Workspace, reader: PlatformReader, outcomes: Sequence[Outcome], lock: Lockfile
) -> list[str]:
    """Lines for the report; empty when nothing was touched."""
    from interform.workspace import build_plan

    addresses = [a for a in touched(outcomes) if a in lock.entries]
    if not addresses:
        return []
    states, failures = reader.try_read({a: lock.entries[a] for a in addresses})
    lines = [f"{a}: cannot be read back: {why}" for a, why in sorted(failures.items())]
    ws.lock = lock
    try:
        plan = build_plan(ws, force=True, reader=_Fixed(states))
    except UserError as err:
        return [*lines, *err.lines()]
    read = set(states)
    lines += [
        _describe(change.address, change.reason, [f.name for f in change.fields])
        for change in plan.changes
        if change.address in read
    ]
    head = f"Convergence check: read back {len(read)} of {len(addresses)} changed objects"
    unread = _unreadable(lock, [a for a in addresses if a not in read and a not in failures])
    if unread:
        head += f": {unread}"
    if not lines:
        return [f"{head}; the plan is empty."]
    return [f"{head}; they differ from what was sent:", *(f"  {line}" for line in lines)]


def _unreadable(lock: Lockfile, addresses: Sequence[str]) -> str:
    """`Versive studies cannot be read`: why objects were not read back, by kind."""
    from interform.plan.removal import plural
    from interform.providers.registry import kind_spec

    entries = [lock.entries[a] for a in addresses]
    labels = sorted({kind_spec(e.provider, e.kind).label for e in entries})
    return "; ".join(f"{plural(label)} cannot be read" for label in labels)


def _describe(address: str, reason: str, fields: list[str]) -> str:
    if fields:
        return f"{address}: the platform rewrote {', '.join(fields)} ({reason})"
    return f"{address}: {reason}"
