"""Three-way lockfile merges: every object either side tracks ends up at exactly one
address, and only what needs a person is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interform.errors import UserError
from interform.lockfile.merge import merge_lockfiles
from interform.lockfile.model import Entry, Lockfile, Pending
from interform.lockfile.store import dumps_lockfile, parse_lockfile

LINEAGE = "5d0c1c2e-0000-4000-8000-000000000001"


def entry(address: str, remote_id: str | None, **extra: object) -> Entry:
    """The entry of `address` (`def@target` or `def@target#session`)."""
    interview, _, rest = address.partition("@")
    target, _, session = rest.partition("#")
    values: dict[str, object] = {
        "interview": interview,
        "target": target,
        "provider": "instaview",
        "kind": "session" if session else "agent",
        "remote_id": remote_id,
        "request": {"name": interview},
        "created_at": "2026-05-01T10:00:00Z",
        "updated_at": "2026-05-01T10:00:00Z",
    }
    if session:
        values["parent"] = f"{interview}@{target}"
    values.update(extra)
    return Entry.model_validate(values)


def lock(*entries: tuple[str, Entry], lineage: str = LINEAGE) -> Lockfile:
    return Lockfile(lineage=lineage, entries=dict(entries))


def at(address: str, remote_id: str | None, **extra: object) -> tuple[str, Entry]:
    return address, entry(address.split("~")[0], remote_id, **extra)


def ids(merged: Lockfile) -> dict[str, str | None]:
    return {address: e.remote_id for address, e in merged.entries.items()}


def updated(item: tuple[str, Entry], when: str, **changes: object) -> tuple[str, Entry]:
    address, e = item
    request = {**(e.request or {}), **changes}
    return address, e.model_copy(update={"request": request, "updated_at": when})


BASE = [at("a@iv", "A"), at("b@iv", "B")]


def test_different_addresses_changed_on_each_side_all_arrive() -> None:
    ours = lock(*BASE, at("c@iv", "C"))
    theirs = lock(*BASE, at("d@iv", "D"))
    merged = merge_lockfiles(lock(*BASE), ours, theirs)
    assert ids(merged.lock) == {"a@iv": "A", "b@iv": "B", "c@iv": "C", "d@iv": "D"}
    assert merged.notes == []
    assert merged.lock.lineage == LINEAGE


def test_an_entry_changed_on_one_side_takes_that_side() -> None:
    newer = updated(BASE[0], "2026-05-02T00:00:00Z", name="renamed")
    for ours, theirs in [(lock(newer, BASE[1]), lock(*BASE)), (lock(*BASE), lock(newer, BASE[1]))]:
        merged = merge_lockfiles(lock(*BASE), ours, theirs)
        assert merged.lock.entries["a@iv"] == newer[1]


def test_changed_on_both_sides_the_later_change_wins_and_keeps_both_pending() -> None:
    early = updated(BASE[0], "2026-05-02T00:00:00Z", name="early")
    late = updated(BASE[0], "2026-05-03T00:00:00Z", name="late")
    retry = Pending(op="update", started_at="2026-05-02T00:00:00Z")
    early = early[0], early[1].model_copy(update={"pending": [retry]})
    for ours, theirs in [(early, late), (late, early)]:
        merged = merge_lockfiles(lock(*BASE), lock(ours, BASE[1]), lock(theirs, BASE[1]))
        kept = merged.lock.entries["a@iv"]
        assert kept.request == {"name": "late"} and kept.pending == [retry]


def test_removed_on_one_side_and_untouched_on_the_other_is_removed() -> None:
    merged = merge_lockfiles(lock(*BASE), lock(BASE[0]), lock(*BASE))
    assert ids(merged.lock) == {"a@iv": "A"}


def test_removed_on_one_side_but_changed_on_the_other_stays_tracked() -> None:
    changed = updated(BASE[1], "2026-05-02T00:00:00Z", name="changed")
    merged = merge_lockfiles(lock(*BASE), lock(BASE[0]), lock(BASE[0], changed))
    assert merged.lock.entries["b@iv"] == changed[1]
    assert merged.notes == [
        "b@iv: one side stopped tracking instaview agent B, the other changed it; it stays "
        "tracked and the next plan decides"
    ]


def test_both_sides_created_one_address_keeps_both_objects() -> None:
    first = at("c@iv", "C1", created_at="2026-05-02T09:00:00Z")
    second = at("c@iv", "C2", created_at="2026-05-02T10:00:00Z")
    for ours, theirs in [(first, second), (second, first)]:
        merged = merge_lockfiles(lock(*BASE), lock(*BASE, ours), lock(*BASE, theirs))
        # the one created first keeps the address; the other waits for removal
        assert ids(merged.lock) == {"a@iv": "A", "b@iv": "B", "c@iv": "C1", "c@iv~C2": "C2"}
        assert merged.notes == [
            "c@iv: both sides created it; instaview agent C1 stays, instaview agent C2 is "
            "kept as c@iv~C2 and the next apply removes it"
        ]


def test_sessions_stay_with_the_interview_they_were_created_under() -> None:
    def family(agent: str, session: str, created: str) -> list[tuple[str, Entry]]:
        return [
            at("c@iv", agent, created_at=created),
            at("c@iv#smoke", session, parent_remote_id=agent, created_at=created),
        ]

    # the later agent's session was created first: it still goes with its agent
    ours = family("AG1", "S1", "2026-05-02T09:00:00Z")
    theirs = family("AG2", "S2", "2026-05-02T10:00:00Z")
    theirs[1] = at("c@iv#smoke", "S2", parent_remote_id="AG2", created_at="2026-05-01T00:00:00Z")
    merged = merge_lockfiles(lock(*BASE), lock(*BASE, *ours), lock(*BASE, *theirs))
    assert ids(merged.lock) == {
        "a@iv": "A",
        "b@iv": "B",
        "c@iv": "AG1",
        "c@iv#smoke": "S1",
        "c@iv~AG2": "AG2",
        "c@iv#smoke~S2": "S2",
    }


def test_a_move_on_one_side_and_an_update_on_the_other_meet_at_the_new_address() -> None:
    moved = "z@iv", BASE[0][1].model_copy(update={"interview": "z"})
    changed = updated(BASE[0], "2026-05-02T00:00:00Z", name="changed")
    for ours, theirs in [(moved, changed), (changed, moved)]:
        merged = merge_lockfiles(lock(*BASE), lock(ours, BASE[1]), lock(theirs, BASE[1]))
        assert ids(merged.lock) == {"z@iv": "A", "b@iv": "B"}
        kept = merged.lock.entries["z@iv"]
        assert kept.interview == "z" and kept.request == {"name": "changed"}


def test_a_replacement_on_one_side_and_an_update_on_the_other() -> None:
    # ours replaced a@iv (new object A2, the old one deposed until its removal succeeds);
    # theirs updated the old object in place
    deposed = "a@iv~A", BASE[0][1]
    replaced = at("a@iv", "A2", created_at="2026-05-02T00:00:00Z")
    changed = updated(BASE[0], "2026-05-02T00:00:00Z", name="changed")
    merged = merge_lockfiles(lock(*BASE), lock(replaced, deposed, BASE[1]), lock(changed, BASE[1]))
    assert ids(merged.lock) == {"a@iv": "A2", "a@iv~A": "A", "b@iv": "B"}
    assert merged.lock.entries["a@iv~A"].request == {"name": "changed"}


def test_an_object_tracked_at_two_new_addresses_is_refused() -> None:
    one = "y@iv", BASE[0][1].model_copy(update={"interview": "y"})
    two = "z@iv", BASE[0][1].model_copy(update={"interview": "z"})
    with pytest.raises(UserError) as err:
        merge_lockfiles(lock(*BASE), lock(one, BASE[1]), lock(two, BASE[1]))
    (line,) = err.value.lines()
    assert line.startswith(
        "interform.lock: instaview agent A is tracked as y@iv on one side and as z@iv on the "
        "other — decide which address keeps it"
    )


def test_two_lineages_are_refused_unless_one_side_is_empty() -> None:
    other = lock(at("c@iv", "C"), lineage="5d0c1c2e-0000-4000-8000-000000000002")
    with pytest.raises(UserError, match="the two sides are different lockfiles"):
        merge_lockfiles(None, lock(*BASE), other)
    merged = merge_lockfiles(None, lock(), other)
    assert merged.lock == other


def test_an_interrupted_create_waits_beside_the_object_the_other_side_made() -> None:
    intent = Pending(op="create", started_at="2026-05-02T00:00:00Z", marker="m")
    pending = at("c@iv", None, pending=[intent])
    made = at("c@iv", "C")
    merged = merge_lockfiles(lock(*BASE), lock(*BASE, pending), lock(*BASE, made))
    kept = merged.lock.entries["c@iv"]
    assert kept.remote_id == "C" and kept.pending == [intent]
    assert len(merged.notes) == 1 and merged.notes[0].startswith("c@iv: an interrupted create")


def test_an_interrupted_create_settled_on_one_side_is_settled() -> None:
    intent = Pending(op="create", started_at="2026-05-02T00:00:00Z", marker="m")
    pending = at("c@iv", None, pending=[intent])
    adopted = at("c@iv", "C")
    base = lock(*BASE, pending)
    merged = merge_lockfiles(base, lock(*BASE, adopted), base)
    assert merged.lock.entries["c@iv"] == adopted[1]


def test_without_a_common_ancestor_nothing_is_dropped() -> None:
    merged = merge_lockfiles(None, lock(BASE[0]), lock(BASE[1], at("c@iv", "C")))
    assert ids(merged.lock) == {"a@iv": "A", "b@iv": "B", "c@iv": "C"}


# ---------------------------------------------------------------------- properties

ADDRESSES = [f"{name}@iv" for name in "pqrst"]


@st.composite
def histories(draw: st.DrawFn) -> tuple[Lockfile, Lockfile, Lockfile]:
    """A base, and two sides that each added, removed, updated and moved objects."""
    counter = iter(range(1000))
    base_addresses = draw(st.sets(st.sampled_from(ADDRESSES)))
    base = [at(a, f"o{next(counter)}") for a in sorted(base_addresses)]

    def side(tag: str) -> Lockfile:
        entries = dict(base)
        for step in draw(st.lists(st.sampled_from(["add", "rm", "update", "move"]), max_size=6)):
            address = draw(st.sampled_from(ADDRESSES))
            if step == "add" and address not in entries:
                entries[address] = entry(address, f"{tag}{next(counter)}")
            elif step == "rm":
                entries.pop(address, None)
            elif step == "update" and address in entries:
                entries[address] = updated(
                    (address, entries[address]), f"2026-06-0{draw(st.integers(1, 9))}T00:00:00Z"
                )[1]
            elif step == "move" and address in entries:
                free = [a for a in ADDRESSES if a not in entries]
                if free:
                    to = draw(st.sampled_from(free))
                    moved = entries.pop(address)
                    entries[to] = moved.model_copy(update={"interview": to.split("@")[0]})
        return lock(*entries.items())

    return lock(*base), side("x"), side("y")


def remote_ids(lock: Lockfile) -> list[str]:
    """The remote ids `lock` tracks: every object in these histories was created."""
    ids = [e.remote_id for e in lock.entries.values() if e.remote_id is not None]
    assert len(ids) == len(lock.entries), "an entry without a remote id"
    return ids


@settings(max_examples=300, deadline=None)
@given(histories())
def test_merged_lockfiles_are_valid_and_track_each_object_once(
    history: tuple[Lockfile, Lockfile, Lockfile],
) -> None:
    base, ours, theirs = history
    try:
        merged = merge_lockfiles(base, ours, theirs).lock
    except UserError as err:
        # only an object both sides moved to different new addresses needs a person
        assert all("is tracked as" in line for line in err.lines())
        return
    # valid as written, and no object tracked twice
    assert parse_lockfile(dumps_lockfile(merged), Path("interform.lock")) == merged
    tracked = remote_ids(merged)
    assert len(tracked) == len(set(tracked))
    # nothing either side still tracks is lost: an object is only dropped when one side
    # removed it and the other left it exactly as it was
    base_entries = {e.remote_id: (a, e) for a, e in base.entries.items()}
    for side, other in ((ours, theirs), (theirs, ours)):
        others = {e.remote_id for e in other.entries.values()}
        for address, e in side.entries.items():
            dropped = e.remote_id not in tracked
            unchanged = base_entries.get(e.remote_id) == (address, e)
            assert not dropped or (unchanged and e.remote_id not in others), address
    # the same objects whichever side is "ours"
    swapped = merge_lockfiles(base, theirs, ours).lock
    assert sorted(tracked) == sorted(remote_ids(swapped))
