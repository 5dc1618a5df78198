"""Recording an object found on a platform at an address — the one rule import, refresh's
rediscovery and its settling of interrupted creates share.

- nothing tracked there: the object is tracked there;
- a create there is pending: the object settles it (an interrupted replacement's old
  object is kept as a deposed entry, which the next apply removes);
- another object is tracked there: the found one is a duplicate a lost run made, and is
  kept as a deposed entry too, so the next apply removes it instead of leaving it behind.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Literal

from interform import hints
from interform.errors import UserError
from interform.model.address import deposed_address, undeposed

if TYPE_CHECKING:
    from interform.lockfile.model import Entry, Lockfile
    from interform.model.identity import Identity
    from interform.providers.base import RemoteState

Outcome = Literal["tracked", "settled", "deposed", "known"]


def found_entry(
    identity: Identity,
    state: RemoteState,
    *,
    desired_source: str | None = None,
    protect: bool = False,
    removal: str | None = None,
) -> Entry:
    """An entry recording `state`, the object `identity` names, as if its current body
    had been applied."""
    from interform.digest import body_digest
    from interform.lockfile.model import Entry

    return Entry.of(
        identity,
        remote_id=state.remote_id,
        parent_remote_id=state.parent_remote_id,
        urls=dict(state.urls),
        digest=body_digest(state.body),
        request=dict(state.body),
        marker=state.marker,
        source=desired_source,
        updated_at=now(),
        protect=protect,
        removal=removal,
        private=dict(state.private),
    )


def adopt(lock: Lockfile, address: str, new: Entry) -> Outcome:
    """Record `new` at `address` by the rule above."""
    from interform.plan.pending import pending_create

    _refuse_tracked_elsewhere(lock, address, new)
    current = lock.entries.get(address)
    if current is None:
        lock.entries[address] = new
        return "tracked"
    if current.remote_id == new.remote_id:
        return "known"
    op = pending_create(current)
    if op is None:
        assert new.remote_id is not None
        lock.entries[deposed_address(address, new.remote_id)] = new
        return "deposed"
    if op.marker and new.marker and op.marker != new.marker:
        raise UserError(
            f"{new.remote_id} carries the ownership marker {new.marker!r}, but the "
            f"interrupted create sent {op.marker!r}: it is another object",
            fix="look for the object with the marker the create sent, and import that one",
        )
    if current.remote_id:
        old = current.model_copy(update={"pending": []})
        lock.entries[deposed_address(address, current.remote_id)] = old
    rest = [p for p in current.pending if p.op != "create"]
    lock.entries[address] = new.model_copy(
        update={"marker": new.marker or op.marker, "pending": rest}
    )
    return "settled"


def _refuse_tracked_elsewhere(lock: Lockfile, address: str, new: Entry) -> None:
    """One remote object, one address: never record it at a second one."""
    for other, entry in lock.entries.items():
        same = (entry.provider, entry.kind, entry.remote_id) == (
            new.provider,
            new.kind,
            new.remote_id,
        )
        if same and other != address and undeposed(other) != address:
            raise UserError(
                f"{new.remote_id} is already tracked as {other}: one object cannot be "
                f"tracked at {address} too",
                fix=f"to track it at {address} instead, run "
                f"`{hints.command('state', 'mv', other, address)}` (or "
                f"`{hints.command('state', 'rm', other)}` first)",
            )


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
