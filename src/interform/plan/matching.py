"""Deciding what uncertain creates left behind — all of them together. Pure.

An interrupted apply can leave several creates whose outcome it never learnt. Each one
is looked up on its platform (`Provider.lookup`): by its ownership marker where the
platform keeps one, else by content. These rules turn the lookups into decisions:

- **One object, one address.** Attempts that could have made the same objects (the
  same body on the same target and kind, or the same marker) are decided together, and
  each object goes to at most one of them.
- **Only objects made after the attempt.** An object created before the intent was
  written cannot be its result. A content match created in the few minutes before
  (within `CLOCK_SKEW`: the platform's clock is not ours) cannot be told apart from one
  made by another project, so it blocks instead of being adopted; a marked one is ours.
- **No guessing.** More matching objects than attempts, a content match of unknown age,
  or a listing that could not be read to the end: undecidable, with the commands that
  settle it.
- **Absent only once settled.** The platform may still be executing a request whose
  answer was lost; until an attempt's settle time no absence is proven (`Found.retry_at`
  says when looking again can prove it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from interform import hints
from interform.isotime import parse_iso
from interform.providers.base import DesiredResource, Found, Lookup, Match, Provider

CLOCK_SKEW = timedelta(minutes=2)
_EPOCH = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Attempt:
    """One create whose outcome is unknown, as its intent recorded it."""

    address: str
    target: str
    kind: str
    marker: str
    digest: str  # of the body sent
    started_at: str | None  # ISO time written just before the request was sent
    settle_at: float | None = None  # Unix time after which no lost answer can still land
    label: str = "object"  # "micro1 interview", for messages


def decide(items: Sequence[tuple[Attempt, Lookup]], now: float | None = None) -> dict[str, Found]:
    """The decision for every attempt, by address. `now` (Unix time) enables the
    settle rule; without it an attempt is judged as if settled."""
    groups: dict[tuple[str, str, str, str], list[tuple[Attempt, Lookup]]] = {}
    for attempt, lookup in items:
        basis = ("marker", attempt.marker) if lookup.by_marker else ("body", attempt.digest)
        groups.setdefault((attempt.target, attempt.kind, *basis), []).append((attempt, lookup))
    decided: dict[str, Found] = {}
    for group in groups.values():
        decided.update(_Group(group).decide(now))
    return decided


class _Group:
    """Attempts that could have made the same objects, and the objects that match."""

    def __init__(self, items: Sequence[tuple[Attempt, Lookup]]) -> None:
        self.attempts = [attempt for attempt, _ in items]
        lookups = [lookup for _, lookup in items]
        self.by_marker = lookups[0].by_marker
        self.complete = all(lookup.complete for lookup in lookups)
        self.detail = next((lookup.detail for lookup in lookups if lookup.detail), "")
        self.earliest = min((_start(a) for a in self.attempts), default=None)
        if any(a.started_at is None for a in self.attempts):
            self.earliest = None  # an old journal: no time to go by
        self.eligible, self.doubtful = self._sort(_unique(m for lk in lookups for m in lk.matches))
        near = _unique(m for lk in lookups for m in lk.near)
        self.near = [m for m in near if self._recent(m)]

    def decide(self, now: float | None) -> dict[str, Found]:
        label = self.attempts[0].label
        if self.doubtful:
            listed = _listing(self.doubtful)
            why = (
                f"untracked {label}s with the same content were created just before this "
                f"create was attempted ({listed}): made by it or by someone else, interform "
                "cannot tell"
            )
            return self._all_undecidable(why, self.doubtful)
        assigned, left = self._assign()
        if left:
            listed = _listing(self.eligible)
            since = min(a.started_at or "an unknown time" for a in self.attempts)
            why = (
                f"{len(self.eligible)} untracked {label}s match ({listed}), more than the "
                f"{len(self.attempts)} create(s) of this request attempted since {since}: "
                "the others were made by someone else"
            )
            return self._all_undecidable(why, self.eligible)
        return {a.address: self._one(a, assigned.get(a.address), now) for a in self.attempts}

    # ------------------------------------------------------------------ rules

    def _sort(self, matches: list[Match]) -> tuple[list[Match], list[Match]]:
        """(eligible, doubtful): made after the first attempt, or too close to tell."""
        eligible: list[Match] = []
        doubtful: list[Match] = []
        for match in matches:
            created = parse_iso(match.created_at)
            if self.earliest is None or (created is not None and created >= self.earliest):
                eligible.append(match)
            elif created is None or created >= self.earliest - CLOCK_SKEW:
                (eligible if self.by_marker else doubtful).append(match)
        return sorted(eligible, key=_created), sorted(doubtful, key=_created)

    def _recent(self, match: Match) -> bool:
        created = parse_iso(match.created_at)
        return self.earliest is None or created is None or created >= self.earliest - CLOCK_SKEW

    def _assign(self) -> tuple[dict[str, Match], list[Match]]:
        """Each object to one attempt made before it. The latest attempts choose first:
        what they may take, every earlier one may take too."""
        free = list(self.eligible)
        assigned: dict[str, Match] = {}
        for attempt in sorted(self.attempts, key=_start, reverse=True):
            start = _start(attempt)
            take = next((m for m in free if self._made_after(m, start)), None)
            if take is not None:
                assigned[attempt.address] = take
                free.remove(take)
        return assigned, free

    def _made_after(self, match: Match, start: datetime) -> bool:
        created = parse_iso(match.created_at)
        if self.earliest is None or created is None or created >= start:
            return True
        return self.by_marker  # a marked object is ours even if the clocks disagree

    def _one(self, attempt: Attempt, match: Match | None, now: float | None) -> Found:
        if match is not None:
            how = "its ownership marker" if self.by_marker else "the same content"
            state = match.state
            return Found("found", state.remote_id, state, f"found by {how}, created after it")
        if not self.complete:
            return Found("undecidable", detail=self.detail)
        if self.near:
            listed = _listing(self.near)
            return Found(
                "undecidable",
                detail=f"untracked {attempt.label}s with this name but other content were "
                f"created since ({listed}); if one is it, import it",
            )
        if now is not None and attempt.settle_at is not None and now < attempt.settle_at:
            when = datetime.fromtimestamp(attempt.settle_at, timezone.utc)
            return Found(
                "undecidable",
                detail=f"it was attempted at {attempt.started_at} and the platform may still "
                f"be making it; after {when.strftime('%H:%M:%S')} UTC its absence is certain "
                "(apply waits for that)",
                retry_at=attempt.settle_at,
            )
        return Found("absent", detail=f"no untracked {attempt.label} matches the request sent")

    def _all_undecidable(self, why: str, matches: list[Match]) -> dict[str, Found]:
        """Every attempt blocked, each with the exact commands that settle it."""
        ids = ", ".join(m.state.remote_id for m in matches)
        return {
            a.address: Found(
                "undecidable",
                detail=f"{why}; settle it with `{hints.command('import', a.address, 'ID')}` "
                f"using the one it made (one of {ids}), or "
                f"`{hints.command('state', 'rm', a.address)}` if it made none",
            )
            for a in self.attempts
        }


def _start(attempt: Attempt) -> datetime:
    """When the attempt began, to the second (the record's own resolution): an object
    created in that same second may be its result."""
    moment = parse_iso(attempt.started_at)
    return moment.replace(microsecond=0) if moment is not None else _EPOCH


def _created(match: Match) -> datetime:
    return parse_iso(match.created_at) or _EPOCH


def _unique(matches: Iterable[Match]) -> list[Match]:
    found: dict[str, Match] = {}
    for match in matches:
        found.setdefault(match.state.remote_id, match)
    return list(found.values())


def _listing(matches: Sequence[Match]) -> str:
    return ", ".join(
        f"{m.state.remote_id} created {m.created_at or 'at an unknown time'}" for m in matches
    )


def find(
    provider: Provider,
    res: DesiredResource,
    marker: str,
    parent_id: str | None,
    since: str | None,
    exclude: Collection[str] = frozenset(),
) -> Found:
    """Resolve one uncertain create of `res` attempted at `since` (ISO time) on its own;
    apply decides all of a run's attempts together (`decide`), so one object is never
    adopted twice."""
    attempt = Attempt(res.address, res.target, res.kind, marker, res.digest, since)
    return decide([(attempt, provider.lookup(res, marker, parent_id, exclude))])[res.address]
