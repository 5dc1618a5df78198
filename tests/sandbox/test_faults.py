"""Fault specs and the draw: parsing, replayable decisions, scopes."""

from __future__ import annotations

import collections

import pytest

from interform.errors import UserError
from interform.sandbox.faults import ENV_FAULTS, Faults, Injector, Outcome

SPEC = (
    "latency=50ms,jitter=5ms,error=0.05,rate429=0.02,reset=0.01,timeout=0.01,"
    "commit-drop=0.02,seed=42"
)


def test_the_documented_example_parses_and_prints_back() -> None:
    faults = Faults.parse(SPEC)
    assert (faults.latency, faults.jitter, faults.error, faults.commit_drop, faults.seed) == (
        0.05,
        0.005,
        0.05,
        0.02,
        42,
    )
    assert Faults.parse(str(faults)) == faults


def test_every_option_round_trips() -> None:
    spec = "latency=1.5s,error=10%,retry-after=2s,hold=2m,scope=mutating,drop=reset,limit=600/20000"
    faults = Faults.parse(spec)
    assert (faults.retry_after, faults.hold, faults.rate_limit) == (2.0, 120.0, (600, 20000))
    assert Faults.parse(str(faults)) == faults
    assert Faults.parse("limit=off").rate_limit == (0, 0)
    assert str(Faults()) == ""
    assert Faults.parse("paging=stuck") == Faults(paging="stuck")
    assert str(Faults(paging="endless")) == "paging=endless"
    with pytest.raises(UserError, match="'paging=never': must be one of endless, stuck"):
        Faults.parse("paging=never")


def test_every_bad_item_is_reported_at_once() -> None:
    with pytest.raises(UserError) as caught:
        Faults.parse("latency=50,eror=0.1,error=2,scope=some,seed")
    lines = caught.value.lines()
    assert len(lines) == 5
    assert all(line.startswith("--faults: ") and " — " in line for line in lines)
    assert any("with a unit" in line for line in lines)
    assert any("unknown option" in line for line in lines)


def test_shares_over_one_are_refused() -> None:
    with pytest.raises(UserError, match="add up to more than 1"):
        Faults.parse("error=0.6,timeout=0.6")


def test_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_FAULTS, "error=0.5,seed=1")
    assert Faults.from_env() == Faults(error=0.5, seed=1)
    monkeypatch.setenv(ENV_FAULTS, "bogus=1")
    with pytest.raises(UserError, match=ENV_FAULTS):
        Faults.from_env()


def _requests(n: int) -> list[tuple[str, str, str, str, bytes]]:
    return [("micro1", "POST", "/interview", "", f'{{"n":{i % 50}}}'.encode()) for i in range(n)]


def test_same_seed_same_decisions_whatever_the_order() -> None:
    faults = Faults.parse("error=0.2,reset=0.1,timeout=0.1,commit-drop=0.1,jitter=10ms,seed=7")
    requests = _requests(400)
    first = Injector(faults)
    forward = [first.decide(*r) for r in requests]
    # another run meets the same requests in another order (threads): same faults per request
    second = Injector(faults)
    backward = {i: second.decide(*requests[i]) for i in reversed(range(len(requests)))}
    assert forward != [forward[0]] * len(forward)
    # the nth occurrence of an identical request draws the same in both runs
    occurrences: dict[bytes, list[int]] = collections.defaultdict(list)
    for i, r in enumerate(requests):
        occurrences[r[4]].append(i)
    for indexes in occurrences.values():
        assert sorted(str(forward[i]) for i in indexes) == sorted(str(backward[i]) for i in indexes)
    other = Injector(Faults.parse("error=0.2,reset=0.1,timeout=0.1,commit-drop=0.1,seed=8"))
    assert [other.decide(*r).outcome for r in requests] != [d.outcome for d in forward]


def test_shares_are_honoured_roughly() -> None:
    injector = Injector(Faults.parse("error=0.3,rate429=0.2,seed=3"))
    outcomes = collections.Counter(injector.decide(*r).outcome for r in _requests(2000))
    assert 500 < outcomes[Outcome.ERROR] < 700
    assert 320 < outcomes[Outcome.RATE429] < 480
    statuses = {injector.decide(*r).status for r in _requests(200)} - {0}
    assert statuses == {500, 502, 503}


def test_scope_mutating_spares_reads_and_commit_drop_never_hits_reads() -> None:
    spared = Injector(Faults.parse("error=1,scope=mutating,latency=10ms,seed=1"))
    read = spared.decide("micro1", "GET", "/interviews", "page=1", b"")
    assert (read.outcome, read.delay) == (Outcome.NONE, 0.01)
    assert spared.decide("micro1", "PUT", "/interview/x", "", b"{}").outcome is Outcome.ERROR
    dropping = Injector(Faults.parse("commit-drop=1,drop=timeout,seed=1"))
    assert dropping.decide("micro1", "GET", "/interviews", "", b"").outcome is Outcome.NONE
    write = dropping.decide("micro1", "POST", "/interview", "", b"{}")
    assert (write.outcome, write.drop) == (Outcome.COMMIT_DROP, "timeout")


def test_jitter_stays_within_bounds_and_a_random_seed_is_reported() -> None:
    injector = Injector(Faults.parse("latency=50ms,jitter=10ms"))
    delays = [injector.decide(*r).delay for r in _requests(300)]
    assert all(0.04 <= d <= 0.06 for d in delays) and len(set(delays)) > 100
    assert f"seed={injector.seed}" in injector.describe()
    assert Injector(Faults()).describe() == "none"
