"""Operations whose outcome an interrupted apply never learnt (`Entry.pending`).

The planner does not look anything up itself: the caller resolves each pending create
with `Provider.find` and passes the results in. Here: what those results mean.
"""

from __future__ import annotations

from interform import hints
from interform.digest import body_digest
from interform.lockfile.model import Entry, Pending
from interform.plan.model import Action, Change
from interform.providers.base import Found


def pending_create(entry: Entry) -> Pending | None:
    return pending_op(entry, "create")


def pending_op(entry: Entry, op: str) -> Pending | None:
    return next((p for p in entry.pending if p.op == op), None)


def without_create(entry: Entry) -> Entry:
    return entry.model_copy(update={"pending": [p for p in entry.pending if p.op != "create"]})


def adopted_entry(entry: Entry, op: Pending, found: Found) -> Entry:
    """The entry as it will be once the object found on the platform is recorded."""
    state = found.state
    request = dict(state.body) if state is not None else dict(op.request or {})
    update = {
        "remote_id": found.remote_id,
        "request": request,
        "digest": body_digest(request),
        "marker": op.marker or entry.marker,
        "pending": [p for p in entry.pending if p.op != "create"],
    }
    if state is not None:
        update["urls"] = {**entry.urls, **state.urls}
        update["private"] = {**entry.private, **state.private}
        update["parent_remote_id"] = state.parent_remote_id or op.parent_remote_id
    return entry.model_copy(update=update)


def block(change: Change, op: Pending, found: Found | None) -> Change:
    """Mark `change` as blocked on an undecidable create, with the command that fixes it."""
    when = f" at {op.started_at}" if op.started_at else ""
    if found is None:
        why = "it has not been checked whether the platform created it"
        hint = f"run `{hints.command('plan', '--refresh')}` to look for it, or import it by hand"
    else:
        why = "the platform cannot tell whether it was created"
        if found.detail:
            why += f" ({found.detail})"
        hint = "look for it on the platform: if it exists, import it with its id"
    change.action = Action.BLOCKED
    change.reason = f"an apply was interrupted while creating it{when}, and {why}"
    change.import_command = hints.command("import", change.address, "REMOTE_ID")
    change.notes.append(hint)
    return change


def block_removal(change: Change) -> Change:
    """A removal was interrupted, yet the definition is back: it may exist or not."""
    change.action = Action.BLOCKED
    change.reason = (
        "an apply was interrupted while removing it, so it may no longer exist on the platform"
    )
    change.notes.append(
        f"run `{hints.command('plan', '--refresh')}` to check whether it still exists"
    )
    return change


INTERRUPTED_UPDATE = "an update was interrupted before its outcome was known; it is sent again"
SETTLED_UPDATE = (
    "an update was interrupted, but whatever the platform kept matches the definition; "
    "only the lockfile changes"
)
INTERRUPTED_REMOVAL = "an earlier removal was interrupted; it is removed again"


def adoption_reason(found: Found) -> str:
    return f"an interrupted create did happen: the platform has it as {found.remote_id}"
