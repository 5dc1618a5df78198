"""Three-way merge of two lockfiles that grew apart from a common one (git branches).

The merge works on remote objects, not on lines: each object (its platform, kind and
remote id) lands at exactly one address, so the result never tracks one object twice
and never drops one that either side still tracks.

- An object changed on one side only takes that side's entry (the newer one); changed on
  both, the entry updated last, with the pending operations of both.
- An object moved on one side (`state mv`, `moves:`) takes its new address.
- An object one side removed and the other left as it was is removed; if the other side
  changed it, it is kept (removing an object that is already gone is harmless, losing
  track of a live one is not), and the next plan decides.
- Two objects at one address (both sides created it) are both kept: one stays, the other
  becomes the deposed entry `address~<remote id>`, which the next plan removes. A session
  stays with the interview it was created under.
- An interrupted create (an entry with no remote id yet) stays pending at its address,
  beside whatever object the other side recorded there, for the next plan to settle.

It refuses, with every reason at once, two different lineages and an object that the
two sides track at two different new addresses; both need a person to decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from interform.errors import Problem, UserError
from interform.isotime import parse_iso
from interform.lockfile.model import Entry, Lockfile, Pending
from interform.model.address import deposed_address, undeposed

# one remote object: the same key the lockfile's read-time check uses for "tracked twice"
ObjectKey = tuple[str, str, str]  # (provider, kind, remote id)
OURS, THEIRS = 0, 1


@dataclass(frozen=True)
class Placed:
    """One side's record of an object: where it is tracked, and its entry."""

    address: str
    entry: Entry


@dataclass
class Merged:
    lock: Lockfile
    notes: list[str] = field(default_factory=list)  # what a person should know


@dataclass
class _Claim:
    """An object that wants to live at an address, from which side."""

    key: ObjectKey
    entry: Entry
    side: int


def merge_lockfiles(
    base: Lockfile | None, ours: Lockfile, theirs: Lockfile, where: str = "interform.lock"
) -> Merged:
    """The lockfile holding both sides' changes since `base` (None: no common ancestor).
    Raises UserError naming every conflict a person has to settle."""
    if ours.lineage != theirs.lineage and ours.entries and theirs.entries:
        raise UserError([_lineage_problem(ours, theirs, where)])
    # a side with no entries yet has nothing to lose: the other side's lineage stands
    lineage = theirs.lineage if theirs.entries and not ours.entries else ours.lineage
    if base is not None and base.lineage != lineage:
        base = None  # not their ancestor: no common history to compare with
    merger = _Merger(base, ours, theirs, where)
    entries = merger.run()
    return Merged(Lockfile(lineage=lineage, entries=entries), merger.notes)


class _Merger:
    def __init__(self, base: Lockfile | None, ours: Lockfile, theirs: Lockfile, where: str) -> None:
        self.base = _objects(base.entries if base else {})
        self.sides = (_objects(ours.entries), _objects(theirs.entries))
        self.base_pending = _pending_only(base.entries if base else {})
        self.pending = (_pending_only(ours.entries), _pending_only(theirs.entries))
        self.where = where
        self.notes: list[str] = []
        self.problems: list[Problem] = []

    def run(self) -> dict[str, Entry]:
        claims: dict[str, list[_Claim]] = {}
        for key in sorted(set(self.sides[OURS]) | set(self.sides[THEIRS])):
            placed = self._object(key)
            if placed is not None:
                claims.setdefault(placed[0], []).append(placed[1])
        if self.problems:
            raise UserError(self.problems)
        entries = self._place(claims)
        self._add_pending(entries)
        return dict(sorted(entries.items()))

    # ------------------------------------------------------------------ objects

    def _object(self, key: ObjectKey) -> tuple[str, _Claim] | None:
        """Where the object ends up and with which entry; None when it is removed."""
        base = self.base.get(key)
        mine, other = self.sides[OURS].get(key), self.sides[THEIRS].get(key)
        if mine is None or other is None:
            kept, side = (mine, OURS) if mine is not None else (other, THEIRS)
            assert kept is not None
            return self._one_side(key, base, kept, side)
        address = self._address(base, mine, other)
        if address is None:
            return None
        entry = _merge_entry(base.entry if base else None, mine.entry, other.entry)
        # the entry's own address fields follow the side that put it where it ends up
        at = mine if mine.address == address else other
        entry = entry.model_copy(
            update={
                "interview": at.entry.interview,
                "target": at.entry.target,
                "parent": at.entry.parent,
            }
        )
        side = OURS if mine.address == address else THEIRS
        return address, _Claim(key, entry, side)

    def _one_side(
        self, key: ObjectKey, base: Placed | None, kept: Placed, side: int
    ) -> tuple[str, _Claim] | None:
        if base is not None and base == kept:
            return None  # the other side removed it and this side left it alone
        if base is not None:
            self.notes.append(
                f"{kept.address}: one side stopped tracking {_label(kept.entry)}, the other "
                "changed it; it stays tracked and the next plan decides"
            )
        return kept.address, _Claim(key, kept.entry, side)

    def _address(self, base: Placed | None, mine: Placed, other: Placed) -> str | None:
        if mine.address == other.address:
            return mine.address
        if base is not None and mine.address == base.address:
            return other.address
        if base is not None and other.address == base.address:
            return mine.address
        self.problems.append(
            Problem(
                self.where,
                0,
                0,
                f"{_label(mine.entry)} is tracked as {mine.address} on one side and as "
                f"{other.address} on the other",
                "decide which address keeps it: `interform state rm` the other one on its "
                "branch (or `interform state mv` it there), then merge again",
            )
        )
        return None

    # ------------------------------------------------------------------ addresses

    def _place(self, claims: Mapping[str, list[_Claim]]) -> dict[str, Entry]:
        """One object per address; the others at `address~<remote id>`, to be removed.
        Definition objects first, so a session can follow the interview it belongs to."""
        entries: dict[str, Entry] = {}
        for address in sorted(claims, key=lambda a: (a.count("#"), a)):
            keeper, *extra = sorted(claims[address], key=lambda c: self._rank(c, entries))
            entries[address] = keeper.entry
            for claim in extra:
                moved = deposed_address(undeposed(address), claim.key[2])
                entries[moved] = claim.entry
                self.notes.append(
                    f"{address}: both sides created it; {_label(keeper.entry)} stays, "
                    f"{_label(claim.entry)} is kept as {moved} and the next apply removes it"
                )
        return entries

    def _rank(self, claim: _Claim, placed: Mapping[str, Entry]) -> tuple[int, float, int]:
        """Sort key: under the parent object that stayed, then created first (its links
        have been out longest), then ours."""
        entry = claim.entry
        parent = placed.get(entry.parent) if entry.parent else None
        orphan = int(parent is not None and entry.parent_remote_id != parent.remote_id)
        created = parse_iso(entry.created_at)
        return orphan, created.timestamp() if created else float("inf"), claim.side

    # ------------------------------------------------------------------ pending creates

    def _add_pending(self, entries: dict[str, Entry]) -> None:
        """Interrupted creates (no remote id yet) stay at their address: on the entry of
        the object there (a create in flight beside it, as in a replacement), or alone."""
        for address in sorted(set(self.pending[OURS]) | set(self.pending[THEIRS])):
            pending = self._pending_at(address)
            if pending is None:
                continue
            current = entries.get(address)
            if current is None:
                entries[address] = pending
                continue
            entries[address] = current.model_copy(
                update={"pending": _union(current.pending, pending.pending)}
            )
            self.notes.append(
                f"{address}: an interrupted create from one side waits beside "
                f"{_label(current)} from the other; the next plan looks for it: found, it "
                "stays and the other is removed; not found, nothing changes"
            )

    def _pending_at(self, address: str) -> Entry | None:
        base = self.base_pending.get(address)
        mine, other = self.pending[OURS].get(address), self.pending[THEIRS].get(address)
        if mine == other or other == base:
            return mine
        if mine == base:
            return other
        if mine is None or other is None:  # settled on one side, tried again on the other
            return mine or other
        return mine.model_copy(update={"pending": _union(mine.pending, other.pending)})


# ---------------------------------------------------------------------- entries


def _merge_entry(base: Entry | None, mine: Entry, other: Entry) -> Entry:
    """The entry changed on one side, or the one changed last when both changed it."""
    if mine == other or other == base:
        return mine
    if mine == base:
        return other
    newer, older = (other, mine) if _later(other, mine) else (mine, other)
    return newer.model_copy(update={"pending": _union(newer.pending, older.pending)})


def _later(a: Entry, b: Entry) -> bool:
    at, bt = parse_iso(a.updated_at), parse_iso(b.updated_at)
    return at is not None and (bt is None or at > bt)


def _union(first: Iterable[Pending], second: Iterable[Pending]) -> list[Pending]:
    merged = list(first)
    merged += [p for p in second if p not in merged]
    return merged


def _objects(entries: Mapping[str, Entry]) -> dict[ObjectKey, Placed]:
    return {
        (e.provider, e.kind, e.remote_id): Placed(address, e)
        for address, e in entries.items()
        if e.remote_id is not None
    }


def _pending_only(entries: Mapping[str, Entry]) -> dict[str, Entry]:
    return {address: e for address, e in entries.items() if e.remote_id is None}


def _label(entry: Entry) -> str:
    return f"{entry.provider} {entry.kind} {entry.remote_id}"


def _lineage_problem(ours: Lockfile, theirs: Lockfile, where: str) -> Problem:
    return Problem(
        where,
        0,
        0,
        f"the two sides are different lockfiles (lineage {ours.lineage} and "
        f"{theirs.lineage}): each began with its own first apply, so their entries cannot "
        "be told apart safely",
        "keep one side (`git checkout --ours` or `--theirs`), then track each object of the "
        "other with `interform import ADDRESS REMOTE_ID` (`interform state list` on that "
        "side lists them)",
    )
