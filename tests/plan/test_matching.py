"""Deciding what uncertain creates left behind, all together: one object to one
address, only objects made after the attempt, no guessing, absence only once settled."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from interform.plan.matching import CLOCK_SKEW, Attempt, decide
from interform.providers.base import Lookup, Match, RemoteState

T0 = datetime(2026, 11, 23, 10, 0, 0, tzinfo=timezone.utc)


def at(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def micro1_time(seconds: float) -> str:
    """micro1's own spelling of a creation time."""
    return (T0 + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S")


def attempt(address: str, started: float, *, digest: str = "d1", marker: str = "") -> Attempt:
    return Attempt(address, "micro1", "interview", marker, digest, at(started), label="interview")


def match(remote_id: str, created: float | None) -> Match:
    stamp = micro1_time(created) if created is not None else None
    return Match(RemoteState(remote_id, {}), stamp)


def lookup(*matches: Match, **options: object) -> Lookup:
    return Lookup(matches=tuple(matches), **options)  # type: ignore[arg-type]


def test_identical_definitions_never_share_an_object() -> None:
    """Item 1: 40 identical definitions, an apply killed; one object matches them all."""
    found = lookup(match("m-1", 3))
    attempts = [attempt(f"team/screen-{n:02d}@micro1", 1) for n in range(40)]
    decided = decide([(a, found) for a in attempts])
    adopted = [f.remote_id for f in decided.values() if f.status == "found"]
    assert adopted == ["m-1"]
    assert sum(f.status == "absent" for f in decided.values()) == 39


def test_as_many_objects_as_attempts_go_one_each() -> None:
    objects = lookup(match("m-1", 2), match("m-2", 2), match("m-3", 3))
    attempts = [attempt(f"a/{n}@micro1", n) for n in range(5)]
    decided = decide([(a, objects) for a in attempts])
    adopted = sorted(f.remote_id or "" for f in decided.values() if f.status == "found")
    assert adopted == ["m-1", "m-2", "m-3"]
    # an object is given to an attempt made before it (to the second)
    assert decided["a/4@micro1"].status == "absent"
    assert decided["a/3@micro1"].remote_id == "m-3"
    assert decided["a/0@micro1"].status == "absent"


def test_more_matching_objects_than_attempts_block_with_the_commands() -> None:
    decided = decide([(attempt("a/x@micro1", 1), lookup(match("m-1", 2), match("m-2", 5)))])
    blocked = decided["a/x@micro1"]
    assert blocked.status == "undecidable"
    assert "2 untracked interviews match (m-1 created 2026-11-23 10:00:02, m-2 created " in (
        blocked.detail
    )
    assert "`interform import a/x@micro1 ID`" in blocked.detail
    assert "`interform state rm a/x@micro1`" in blocked.detail


def test_objects_made_before_the_attempt_are_not_it() -> None:
    """Item 2: another project's identical interview, made an hour earlier."""
    earlier = lookup(match("prod", -3600))
    assert decide([(attempt("a/x@micro1", 0), earlier)])["a/x@micro1"].status == "absent"


def test_a_content_match_made_just_before_cannot_be_told_apart() -> None:
    skewed = lookup(match("m-1", -30))
    blocked = decide([(attempt("a/x@micro1", 0), skewed)])["a/x@micro1"]
    assert blocked.status == "undecidable" and "created just before" in blocked.detail
    unknown = decide([(attempt("a/x@micro1", 0), lookup(match("m-1", None)))])
    assert unknown["a/x@micro1"].status == "undecidable"


def test_a_marked_object_is_ours_despite_the_clocks_but_not_a_long_gone_one() -> None:
    ours = attempt("a/x@jm", 0, marker="interform:p:a/x@jm")
    skewed = lookup(match("j-1", -30), by_marker=True)
    assert decide([(ours, skewed)])["a/x@jm"].remote_id == "j-1"
    # an archived interview of an earlier life of this address, months ago
    old = lookup(match("j-0", -(CLOCK_SKEW.total_seconds() + 86400)), by_marker=True)
    assert decide([(ours, old)])["a/x@jm"].status == "absent"
    two = lookup(match("j-1", 1), match("j-2", 2), by_marker=True)
    assert decide([(ours, two)])["a/x@jm"].status == "undecidable"


def test_markers_keep_identical_bodies_apart() -> None:
    first = attempt("a/x@jm", 0, marker="interform:p:a/x@jm")
    second = attempt("a/y@jm", 0, marker="interform:p:a/y@jm")
    decided = decide(
        [
            (first, lookup(match("j-1", 1), by_marker=True)),
            (second, lookup(by_marker=True)),
        ]
    )
    assert (decided["a/x@jm"].remote_id, decided["a/y@jm"].status) == ("j-1", "absent")


def test_absence_is_proven_only_once_a_lost_answer_can_no_longer_land() -> None:
    pending = Attempt("a/x@micro1", "micro1", "interview", "", "d1", at(0), settle_at=1000.0)
    early = decide([(pending, lookup())], now=990.0)["a/x@micro1"]
    assert early.status == "undecidable" and early.retry_at == 1000.0
    assert "the platform may still be making it" in early.detail
    assert decide([(pending, lookup())], now=1000.0)["a/x@micro1"].status == "absent"
    # an object found needs no waiting
    made = decide([(pending, lookup(match("m-1", 1)))], now=990.0)["a/x@micro1"]
    assert made.remote_id == "m-1"


def test_a_lookalike_or_an_incomplete_listing_proves_nothing() -> None:
    near = Lookup(near=(match("m-9", 5),))
    blocked = decide([(attempt("a/x@micro1", 0), near)])["a/x@micro1"]
    assert blocked.status == "undecidable" and "m-9" in blocked.detail
    old_near = Lookup(near=(match("m-9", -86400),))
    assert decide([(attempt("a/x@micro1", 0), old_near)])["a/x@micro1"].status == "absent"
    partial = Lookup(complete=False, detail="the list stopped early")
    unread = decide([(attempt("a/x@micro1", 0), partial)])["a/x@micro1"]
    assert (unread.status, unread.detail) == ("undecidable", "the list stopped early")


@pytest.mark.parametrize("seed", range(200))
def test_no_object_is_ever_given_to_two_attempts(seed: int) -> None:
    rng = random.Random(seed)
    bodies = ["d1", "d2"]
    attempts = [
        attempt(f"a/{n}@micro1", rng.uniform(0, 60), digest=rng.choice(bodies))
        for n in range(rng.randint(1, 8))
    ]
    objects = {
        body: lookup(
            *(match(f"{body}-{i}", rng.uniform(-200, 90)) for i in range(rng.randint(0, 6)))
        )
        for body in bodies
    }
    decided = decide([(a, objects[a.digest]) for a in attempts])
    adopted = [f.remote_id for f in decided.values() if f.status == "found"]
    assert len(adopted) == len(set(adopted))
    for a in attempts:
        found = decided[a.address]
        if found.status == "found":
            assert found.remote_id is not None and found.remote_id.startswith(a.digest)
