"""The planner's own cost: a no-change plan over 10,000 definitions is a digest
comparison per object, well under a second."""

from __future__ import annotations

import time

from interform.lockfile.store import new_lockfile
from interform.model.identity import Identity
from interform.plan.planner import make_plan
from interform.plan.simulate import simulate
from interform.providers.base import DesiredResource

from .kinds import SPECS

QUESTIONS = [{"question": f"Tell us about topic {i}.", "time": 2} for i in range(10)]


def test_no_change_plan_over_ten_thousand_definitions() -> None:
    desired = [
        DesiredResource(
            Identity.at(f"team-{n // 100:03d}/screen-{n:05d}@micro1", "micro1", "interview"),
            body={"interview_name": f"Screen {n}", "custom_question_list": QUESTIONS},
            source=f"interviews/team-{n // 100:03d}/screen-{n:05d}.yaml",
        )
        for n in range(10_000)
    ]
    lock = new_lockfile()
    lock = simulate(make_plan(desired, lock, specs=SPECS), lock, now="t")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        plan = make_plan(desired, lock, specs=SPECS)
        timings.append(time.perf_counter() - started)
        assert plan.changes == [] and plan.unchanged == 10_000
    assert min(timings) < 1.0, f"no-change plan of 10,000 took {min(timings):.2f}s"
