"""kill -9 on observed events: `interform apply` (or `destroy`) against `interform sandbox
serve` (a real server, with latency), making creates, updates, replaces, deletes or a
destroy on all four platforms, is killed with SIGKILL once it holds its lock or once
the k-th record of its journal is written, then applied again until it converges.
Nothing may be lost, made twice or tracked twice, and no person may be needed except
where a platform gives no way to find an object (Versive lists nothing).

Trials: INTERFORM_CRASH_TRIALS (default 20); seed: INTERFORM_CRASH_SEED (default 1).
Two trials run side by side (each its own project and accounts, one server). The soak
(`pytest -m soak`, tests/e2e/test_soak.py) runs the same trials by the hundred.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .harness import serve
from .trials import Trial, run_trial

TRIALS = int(os.environ.get("INTERFORM_CRASH_TRIALS", "20"))
SEED = int(os.environ.get("INTERFORM_CRASH_SEED", "1"))


def run_trials(tmp_path: Path, count: int, seed: int) -> list[Trial]:
    with serve(tmp_path / "state", "latency=40ms") as served, ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda n: run_trial(n, tmp_path, served, seed), range(count)))


def summary(trials: list[Trial], seed: int) -> str:
    human = [s for t in trials for s in t.convergence.human_steps()]
    needless = [s for t in trials for s in t.convergence.needless_steps()]
    return (
        f"{len(trials)} trials (seed {seed}): {sum(t.kills for t in trials)} kills landed of "
        f"{sum(t.attempts for t in trials)}; duplicates "
        f"{sum(len(t.audit.duplicates) for t in trials)}, untracked "
        f"{sum(len(t.audit.untracked) for t in trials)}, addresses sharing an id "
        f"{sum(len(t.audit.shared) for t in trials)}, missing "
        f"{sum(len(t.audit.missing) for t in trials)}; human steps {len(human)} "
        f"(where a platform could find the object: {len(needless)})"
    )


@pytest.mark.slow
def test_sigkill_on_observed_events_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    trials = run_trials(tmp_path, TRIALS, SEED)
    print("\n" + summary(trials, SEED))
    problems = [f"trial {t.number} ({t.scenario}): {p}" for t in trials for p in t.audit.problems()]
    assert problems == []
    needless = [f"trial {t.number}: {s}" for t in trials for s in t.convergence.needless_steps()]
    assert needless == []
    # kills wait for an event of the run itself, so they land whatever the machine's speed
    attempts, kills = sum(t.attempts for t in trials), sum(t.kills for t in trials)
    missed = [f"trial {t.number}: {e}" for t in trials for e in t.events if e.startswith("missed")]
    assert kills >= 0.9 * attempts, f"{kills} of {attempts} kills landed: {missed}"
    assert {t.scenario for t in trials} == {"create", "update", "replace", "delete", "destroy"}
