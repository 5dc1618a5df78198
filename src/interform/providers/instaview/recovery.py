"""Deciding what an uncertain create left behind, from the untracked objects that match it.

Exactly one match is the object (adopt it); none in a listing read to the end proves the
create never happened (create again); anything else is undecidable and the plan shows
the `interform import` command. Objects created before the attempt (minus clock skew)
cannot be it, however well they match.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from interform import hints
from interform.providers.base import Found, RemoteState
from interform.providers.instaview.render import parse_iso

CLOCK_SKEW = timedelta(minutes=5)


def decide(
    matches: Sequence[tuple[RemoteState, str | None]],
    *,
    complete: bool,
    since: str | None,
    address: str,
    what: str,
) -> Found:
    """`matches` pairs each matching object with its creation time as returned."""
    states = _created_since(matches, since)
    if len(states) == 1:
        return Found("found", states[0].remote_id, states[0])
    if not states and complete:
        return Found("absent", detail=f"no untracked {what} matches the request that was sent")
    if not states:
        return Found(
            "undecidable",
            detail=f"the list of {what}s could not be read to the end; "
            f"if the {what} exists, run `{hints.command('import', address, 'ID')}`",
        )
    ids = ", ".join(sorted(s.remote_id for s in states))
    return Found(
        "undecidable",
        detail=f"{len(states)} untracked {what}s match ({ids}); run "
        f"`{hints.command('import', address, 'ID')}` with the one interform created",
    )


def _created_since(
    matches: Sequence[tuple[RemoteState, str | None]], since: str | None
) -> list[RemoteState]:
    start = parse_iso(since)
    if start is None:
        return [state for state, _ in matches]
    recent = []
    for state, created in matches:
        moment = parse_iso(created)
        if moment is None or moment >= start - CLOCK_SKEW:
            recent.append(state)
    return recent
