"""Applies through a faulty network (5xx, 429 with Retry-After, timeouts, and requests
executed whose answer is lost) converge with nothing created twice, and two applies
started at once never both write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interform.lockfile.store import read_lockfile
from interform.workspace import SANDBOX_LOCKFILE

from .harness import (
    Convergence,
    assert_exactly_once,
    converge,
    dashboard,
    environment,
    make_project,
    serve,
    start,
)
from .trials import audit

FAULTS = (
    "latency=5ms,error=0.08,rate429=0.08,timeout=0.04,commit-drop=0.08,retry-after=50ms,hold=2s"
)
SEEDS = [int(s) for s in os.environ.get("INTERFORM_FAULT_SEEDS", "1,2,3").split(",")]


def faulty_run(tmp_path: Path, faults: str, seed: int) -> Convergence:
    """A project applied until it converges through `faults`; audited."""
    with serve(tmp_path / "state", f"{faults},seed={seed}") as served:
        root = make_project(tmp_path / "project", served.url, timeout=1.0)
        env = environment("faults")
        seen = converge(root, env, served.state, "faults", limit=30)
        assert audit(root, served.state, "faults", set()).problems() == []
        assert_exactly_once(root, served.state, "faults")
    # only Versive, which lists nothing, may need a person to look for an object
    assert seen.needless_steps() == [], seen.human_steps()
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_faulty_network_converges_without_duplicates(tmp_path: Path, seed: int) -> None:
    seen = faulty_run(tmp_path, FAULTS, seed)
    steps = ", ".join(seen.human_steps()) or "none"
    print(f"\nseed {seed}: converged in {seen.runs} applies; human steps: {steps}")


def test_two_applies_at_once_only_one_writes(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", "http://unused.invalid")
    # slow enough that the winner is still applying when the loser, started at the same
    # time, has loaded (its start-up can lag by a second on a loaded machine)
    env = {**environment("pair"), "INTERFORM_SANDBOX_FAULTS": "latency=400ms"}
    procs = [start(root, env, "apply", "--sandbox", "--auto-approve") for _ in range(2)]
    results = [(p.wait(timeout=120), (p.communicate()[0])) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    loser = next(out for code, out in results if code == 1)
    assert "is locked by" in loser and "`apply`" in loser
    assert "Apply" not in loser  # it never started applying
    lock = read_lockfile(root / SANDBOX_LOCKFILE)
    assert lock is not None
    state = root / ".interform" / "sandbox" / "state"
    micro1 = dashboard(state, "micro1", "micro1").get("interview", {})
    assert len(micro1) == 2
    # the winner's records, and no other: each interview it made tracked once
    tracked = sorted(e.remote_id or "" for e in lock.entries.values() if e.target == "micro1")
    assert tracked == sorted(micro1)
