"""What every renderer says the same way: counts, the summary line, values, verbs."""

from __future__ import annotations

from interform.plan.model import SYMBOLS, Action, Change, Plan

NO_CHANGES = "No changes. Your interviews match the lockfile."
REFUSED = "Refused: nothing of this plan will be applied, because"
IGNORED = (
    "Ignored (ignore_changes): these differ between the object now (left) and its "
    "definition (right), and are left as they are:"
)

# (summary key, action): the first clause always lists these four
MAIN = (
    ("create", Action.CREATE),
    ("update", Action.UPDATE),
    ("replace", Action.REPLACE),
    ("delete", Action.DELETE),
)
# ...the second clause only those that occur
MORE = (
    ("move", Action.MOVE),
    ("archive", Action.ARCHIVE),
    ("forget", Action.FORGET),
    ("adopt", Action.ADOPT),
    ("blocked", Action.BLOCKED),
)
COUNTED = MAIN + MORE

VERBS: dict[Action, str] = {
    Action.CREATE: "create",
    Action.UPDATE: "update in place",
    Action.REPLACE: "replace",
    Action.DELETE: "delete",
    Action.ARCHIVE: "archive",
    Action.FORGET: "forget",
    Action.MOVE: "move",
    Action.ADOPT: "adopt",
    Action.BLOCKED: "blocked",
    Action.NOOP: "no change",
}

# the legend explains only the symbols a plan uses
LEGEND: dict[Action, str] = {
    Action.CREATE: "create",
    Action.UPDATE: "update in place",
    Action.REPLACE: "replace (create the new object, then remove the old one)",
    Action.DELETE: "delete",
    Action.ARCHIVE: "archive",
    Action.FORGET: "forget (the platform keeps it; interform stops tracking it)",
    Action.MOVE: "move (renamed; the remote object stays the same)",
    Action.ADOPT: "adopt (record an object found on the platform)",
    Action.BLOCKED: "blocked (needs you first)",
}


def legend(changes: list[Change]) -> list[tuple[Action, str, str]]:
    """(first action, symbol, meanings) for each symbol in use; actions sharing a symbol
    (delete, archive, forget) share a line."""
    merged: dict[str, tuple[Action, list[str]]] = {}
    for action in LEGEND:
        if any(c.action is action for c in changes):
            merged.setdefault(SYMBOLS[action], (action, []))[1].append(LEGEND[action])
    return [(action, symbol, ", ".join(means)) for symbol, (action, means) in merged.items()]


def counts(changes: list[Change]) -> dict[str, int]:
    return {key: sum(1 for c in changes if c.action is action) for key, action in COUNTED}


def summary_line(plan: Plan) -> str:
    if not plan.changes:
        return NO_CHANGES
    n = counts(plan.changes)
    main = ", ".join(f"{n[key]} to {key}" for key, _ in MAIN)
    more = [
        f"{n[key]} blocked" if key == "blocked" else f"{n[key]} to {key}"
        for key, _ in MORE
        if n[key]
    ]
    return f"Plan: {main}" + (f"; {', '.join(more)}" if more else "") + "."


def describe(change: Change) -> str:
    """`micro1 interview: update in place` — what kind of object, and what happens."""
    verb = VERBS[change.action]
    if change.action is Action.MOVE and change.moved_from:
        verb = f"move from {change.moved_from}"
    if change.lockfile_only and change.action is Action.UPDATE:
        verb = "record in the lockfile only"
    return f"{change.provider} {change.kind}: {verb}"


def position(index: int | None) -> str:
    return "" if index is None else f"#{index + 1}"


def question_summary(change: Change) -> str:
    kinds = ("added", "removed", "moved", "edited")
    tally = {k: sum(1 for q in change.questions if q.kind == k) for k in kinds}
    return ", ".join(f"{n} {k}" for k, n in tally.items() if n)
