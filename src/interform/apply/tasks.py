"""A plan as a graph of tasks: what runs, in which phase, after what.

Phases keep removals last: every create and update (phase 0) before any removal,
sessions' removals (phase 1) before those of the jobs and candidates they used (phase 2),
and those before their interviews' (phase 3). Within a phase a task
waits for the tasks it depends on; when one of those does not succeed, it is skipped.
A replace is two tasks: create the new object (phase 0), then remove the old one
(phase 1 or 2, after the create: if the create fails the old object stays).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from interform.model.address import definition_address, is_part, is_session
from interform.plan.model import REMOVALS, Action, Change

CREATE, UPDATE, REMOVE, REMOVE_REPLACED, SKIP = "create", "update", "remove", "old", "skip"


@dataclass
class Task:
    id: str
    change: Change
    op: str  # CREATE, UPDATE, REMOVE, REMOVE_REPLACED, SKIP (blocked)
    phase: int
    deps: set[str] = field(default_factory=set)

    @property
    def sends(self) -> bool:
        """Whether the task talks to a platform (False: only the lockfile changes)."""
        if self.op in (CREATE, REMOVE_REPLACED):
            return True
        if self.op == REMOVE:
            return self.change.action is not Action.FORGET
        return self.op == UPDATE and bool(self.change.fields)


def _removal_phase(address: str) -> int:
    """Sessions (1), then what they referenced (2: a job, a candidate), then definitions."""
    if is_part(address):
        return 2
    return 1 if is_session(address) else 3


def build_tasks(changes: Sequence[Change]) -> list[Task]:
    tasks: list[Task] = []
    for change in changes:
        tasks += _tasks_of(change)
    ids = {t.id for t in tasks}
    by_address = {t.change.address: t.id for t in tasks if t.op != REMOVE_REPLACED}
    for task in tasks:
        task.deps |= {by_address[d] for d in task.change.depends_on if d in by_address}
        task.deps &= ids
    _sessions_before_interviews(tasks)
    return tasks


def _tasks_of(change: Change) -> list[Task]:
    address = change.address
    if change.action is Action.BLOCKED:
        return [Task(address, change, SKIP, 0)]
    if change.action in REMOVALS:
        return [Task(address, change, REMOVE, _removal_phase(address))]
    if change.action is Action.CREATE:
        return [Task(address, change, CREATE, 0)]
    if change.action is Action.REPLACE:
        new = Task(address, change, CREATE, 0)
        if change.prior is None or not change.prior.remote_id:
            return [new]
        old = Task(f"{address}~old", change, REMOVE_REPLACED, _removal_phase(address), {address})
        return [new, old]
    return [Task(address, change, UPDATE, 0)]


def _sessions_before_interviews(tasks: list[Task]) -> None:
    """An interview's removal waits for the removal of its sessions, jobs and candidates,
    and those of a job or candidate for the sessions' (a failed removal keeps what the
    object needs, rather than orphaning it)."""
    removals = [t for t in tasks if t.op in (REMOVE, REMOVE_REPLACED)]
    earlier: dict[tuple[str, int], set[str]] = {}
    for task in removals:
        earlier.setdefault((definition_address(task.change.address), task.phase), set()).add(
            task.id
        )
    for task in removals:
        base = definition_address(task.change.address)
        for phase in range(1, task.phase):
            task.deps |= earlier.get((base, phase), set())
