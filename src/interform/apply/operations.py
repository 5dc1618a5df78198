"""One change of a plan carried out against its platform and checkpointed.

Every function here talks to one adapter and records what it learnt before returning:
a create's intent before the request, its result (or its uncertainty) as soon as the
answer arrives. Errors propagate as `ProviderError`s for the executor to report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

from interform.apply.recorder import Recorder
from interform.apply.sinks import write_sinks
from interform.lockfile.applied import entry_from_desired
from interform.lockfile.model import Entry, Pending
from interform.lockfile.storage import StorageError
from interform.model.address import deposed_address
from interform.paths import OwnedFiles
from interform.plan.model import Action, Change
from interform.plan.pending import pending_create
from interform.providers.base import Applied, DesiredResource, Provider, make_marker, with_refs
from interform.providers.errors import ProviderError


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class Done:
    """What one operation achieved: its links, and remarks for the summary."""

    urls: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    remote_id: str | None = None


@dataclass
class Context:
    """What every operation of one apply shares."""

    recorder: Recorder
    provider: Callable[[str], Provider]  # target name -> adapter
    project_id: str
    root_dir: str  # sinks are relative to the project root
    now: Callable[[], str] = utc_now
    owned: OwnedFiles | None = None  # interform's own files: never a sink
    # raises (LockLost) once the apply lock is no longer this apply's: checked before
    # every remote call, so a broken lock stops the apply before its next change
    guard: Callable[[], None] = lambda: None

    def adapter(self, target: str) -> Provider:
        """The adapter of `target`, for one remote call about to be made."""
        self.guard()
        return self.provider(target)


def create(ctx: Context, change: Change) -> Done:
    """Create the object of a CREATE or REPLACE; the old object of a replace stays
    tracked (deposed) until `remove_replaced` removes it."""
    res = _desired(change, ctx)
    marker = make_marker(ctx.project_id, res.address)
    parent_id = _parent_id(ctx, res)
    _forget_gone(ctx, change)
    # durable, with room for its outcome, or refused (StorageError): nothing is sent
    ctx.recorder.intent(res.address, _intent(res, marker, parent_id, ctx.now()))
    applied = _send_create(ctx, res, marker, parent_id)
    prior = ctx.recorder.entry(res.address)
    entry = _applied_entry(res, applied, parent_id, prior, ctx.now())
    entry.marker = marker
    with _sent(f"created as {applied.remote_id}, which the next plan finds again"):
        ctx.recorder.created(res.address, entry)
    return Done(entry.urls, write_sinks(ctx.root_dir, res, applied, ctx.owned), applied.remote_id)


def _forget_gone(ctx: Context, change: Change) -> None:
    """A CREATE planned over a tracked entry makes its object again: the old one is gone
    from the platform (refresh or read-back said so). Its record goes first, so it is
    not kept as an object left over from a replacement, to be deleted."""
    prior = change.prior
    if change.action is Action.CREATE and prior is not None and not pending_create(prior):
        ctx.recorder.removed(change.moved_from or change.address)


def _send_create(ctx: Context, res: DesiredResource, marker: str, parent_id: str | None) -> Applied:
    """The create request, its failure or uncertainty recorded as soon as it is known."""
    try:
        # checked after the intent is durable: an apply that breaks this lock and folds
        # the journal either sees the intent or makes this check fail
        adapter = ctx.adapter(res.target)
    except BaseException:
        ctx.recorder.failed(res.address)  # nothing was sent
        raise
    try:
        return adapter.create(res, marker, parent_id)
    except ProviderError as err:
        if err.uncertain:
            ctx.recorder.uncertain(res.address, err.describe())
        else:
            ctx.recorder.failed(res.address)
        raise
    except BaseException:
        # not the platform's answer (a bug, an interrupt): the request may have gone out
        ctx.recorder.uncertain(res.address, "interform stopped before the answer was read")
        raise


def update(ctx: Context, change: Change) -> Done:
    """UPDATE, MOVE and ADOPT: send the changed fields (if any), then record."""
    res = _desired(change, ctx)
    prior = change.prior
    assert prior is not None and prior.remote_id, f"{change.address}: nothing to update"
    if change.action is Action.ADOPT:
        ctx.recorder.created(change.address, prior)
    if change.moved_from and change.moved_from != change.address:
        ctx.recorder.moved(change.moved_from, change.address)
    notes: list[str] = []
    applied = Applied(prior.remote_id, urls=dict(prior.urls))
    if change.fields:
        changed = [f.name for f in change.fields]
        applied = ctx.adapter(res.target).update(res, prior, changed)
        notes = write_sinks(ctx.root_dir, res, applied, ctx.owned)
    parent_id = prior.parent_remote_id or res.parent_remote_id or _parent_id(ctx, res)
    entry = _applied_entry(res, applied, parent_id, prior, ctx.now())
    with _sent("updated; the next apply sends the update again"):
        ctx.recorder.updated(change.address, entry)
    return Done(entry.urls, notes, entry.remote_id)


def remove(ctx: Context, change: Change) -> Done:
    """DELETE, ARCHIVE, FORGET of a lockfile entry (FORGET sends nothing)."""
    prior = change.prior
    assert prior is not None, f"{change.address}: nothing to remove"
    if change.action is not Action.FORGET and prior.remote_id:
        ctx.adapter(prior.target).remove(prior)
    with _sent("removed; the next apply finds it gone"):
        ctx.recorder.removed(change.address)
    return Done(remote_id=prior.remote_id)


def remove_replaced(ctx: Context, change: Change) -> Done:
    """The second half of a replace: remove the old object, now deposed."""
    old = change.prior
    assert old is not None and old.remote_id, f"{change.address}: no old object"
    from interform.plan.removal import removal_mode
    from interform.providers.base import Removal
    from interform.providers.registry import kind_spec

    if removal_mode(old, kind_spec(old.provider, old.kind)) is not Removal.FORGET:
        ctx.adapter(old.target).remove(old)
    with _sent("removed; the next apply finds it gone"):
        ctx.recorder.removed(deposed_address(change.address, old.remote_id))
    return Done(remote_id=old.remote_id)


# ------------------------------------------------------------------ helpers


@contextmanager
def _sent(what: str) -> Iterator[None]:
    """Recording a request already made: if the record cannot be written, say what the
    request did (the apply then stops, and the next run learns it again)."""
    try:
        yield
    except StorageError as err:
        err.after_send = what
        raise


def _desired(change: Change, ctx: Context) -> DesiredResource:
    """The change's resource, with the ids of the objects it references as they are now
    (one made earlier in this apply was planned as known after apply)."""
    assert change.desired is not None, f"{change.action.value} without a desired resource"
    return with_refs(change.desired, lambda address: _remote_id(ctx, address))


def _remote_id(ctx: Context, address: str) -> str | None:
    entry = ctx.recorder.entry(address)
    return entry.remote_id if entry is not None else None


def _parent_id(ctx: Context, res: DesiredResource) -> str | None:
    if res.parent_remote_id:
        return res.parent_remote_id
    parent = ctx.recorder.entry(res.parent) if res.parent else None
    return parent.remote_id if parent is not None else None


def _intent(res: DesiredResource, marker: str, parent_id: str | None, started: str) -> Entry:
    op = Pending(
        op="create",
        started_at=started,
        marker=marker,
        digest=res.digest,
        request=dict(res.body),
        parent_remote_id=parent_id,
    )
    return Entry.of(res.identity, source=res.source, marker=marker, pending=[op])


def _applied_entry(
    res: DesiredResource, applied: Applied, parent_id: str | None, prior: Entry | None, now: str
) -> Entry:
    entry = entry_from_desired(
        res, remote_id=applied.remote_id, parent_remote_id=parent_id, now=now, prior=prior
    )
    entry.urls = {**entry.urls, **applied.urls}
    entry.private = {**entry.private, **applied.private}
    return entry
