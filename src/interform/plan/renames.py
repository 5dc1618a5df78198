"""Renames nobody declared: a definition removed and one created with the same content.

`git mv interviews/a.yaml interviews/b.yaml` without `moved_from:` plans a delete of
everything `a` made and a create of the same objects for `b` — new invite links, and
results left behind with the old objects. When a removed object and a created one on the
same target hold exactly the same request body, the plan says so on both and names the
exact line that turns them into a move.
"""

from __future__ import annotations

from collections.abc import Sequence

from interform.plan.model import REMOVALS, Action, Change, Rename


def suggest_renames(changes: Sequence[Change]) -> list[Rename]:
    """Each likely rename once, with a note on the changes it would turn into a move."""
    removed = {
        (c.target, c.kind, c.prior.digest): c
        for c in changes
        if c.action in REMOVALS and c.prior is not None and c.prior.parent is None
    }
    found: dict[tuple[str, str], Rename] = {}
    for change in changes:
        res = change.desired
        if change.action is not Action.CREATE or res is None or res.parent is not None:
            continue
        gone = removed.get((res.target, res.kind, res.digest))
        if gone is None or gone.interview == res.interview:
            continue
        rename = Rename(res.interview, gone.interview, res.source)
        found.setdefault((rename.new, rename.old), rename)
        change.notes.append(
            f"the same content is removed at {gone.address}: if {res.source} was renamed, add "
            f"`{rename.line}` to it to keep the remote object (its links and results)"
        )
        gone.notes.append(f"the same content is created at {change.address}; see its note")
    return sorted(found.values(), key=lambda r: (r.new, r.old))
