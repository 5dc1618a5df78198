"""Runs the tasks of a plan on a pool of worker threads, in dependency and phase order.

The main thread only schedules: it queues every task whose dependencies succeeded and
whose phase has come, and collects results. Workers take the next queued task as soon as
they finish one, without waiting for the main thread to collect their result: a main
thread that lags (printing, or waiting for the interpreter lock held by 32 workers)
would otherwise leave workers idle between requests. A worker that finds the apply
stopping hands its task back unstarted. Workers are daemon threads so that an abandoned
apply (second Ctrl-C) can exit while requests are in flight: whatever they were creating
stays pending in the journal and is resolved on the next run.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from interform import waiting
from interform.apply import operations as ops
from interform.apply.tasks import CREATE, REMOVE, REMOVE_REPLACED, SKIP, UPDATE, Task
from interform.errors import UserError
from interform.providers.errors import ProviderError

APPLIED, FAILED, UNCERTAIN, SKIPPED, BLOCKED, NOT_STARTED = (
    "applied",
    "failed",
    "uncertain",
    "skipped",
    "blocked",
    "not started",
)


@dataclass
class Outcome:
    task: Task
    status: str
    message: str = ""
    done: ops.Done = field(default_factory=ops.Done)


class Stop:
    """Set by signal handlers (or the run's --timeout): `stopping` ends the starting of
    tasks, `abandon` ends the waiting for tasks in flight."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self.abandon = threading.Event()
        self.signal: int | None = None
        self.timed_out = False
        # why the apply refused to go on (the lock was broken, the journal could not be
        # written): reported once every change in flight has finished
        self.refused: UserError | None = None

    def refuse(self, why: UserError) -> None:
        if self.refused is None:
            self.refused = why
        self.stopping.set()

    def why(self) -> str:
        return "the run's --timeout was reached" if self.timed_out else "apply was interrupted"

    def check_deadline(self) -> None:
        """Past the run's --timeout: start nothing more (requests in flight end by the
        same deadline on their own)."""
        if not self.stopping.is_set() and waiting.run_left() <= 0:
            self.timed_out = True
            self.stopping.set()


Listener = Callable[[Outcome], None]

# Workers mostly wait (network, journal syncs), and every wake-up must take the interpreter
# lock back from whichever worker holds it; Python's 5 ms switch interval kept them
# waiting for it (figures in bench/MACHINERY.md).
SWITCH_INTERVAL = 0.0005

_RUNNERS: dict[str, Callable[[ops.Context, Task], ops.Done]] = {
    CREATE: lambda ctx, t: ops.create(ctx, t.change),
    UPDATE: lambda ctx, t: ops.update(ctx, t.change),
    REMOVE: lambda ctx, t: ops.remove(ctx, t.change),
    REMOVE_REPLACED: lambda ctx, t: ops.remove_replaced(ctx, t.change),
}


def execute(
    tasks: Sequence[Task],
    ctx: ops.Context,
    *,
    parallelism: int,
    stop: Stop | None = None,
    listener: Listener | None = None,
) -> list[Outcome]:
    """Outcomes of every task, in the order of `tasks`."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        return _Scheduler(tasks, ctx, max(1, parallelism), stop or Stop(), listener).run()
    finally:
        sys.setswitchinterval(previous)


class _Scheduler:
    """Counts unmet dependencies per task, so each result costs O(its dependents)."""

    def __init__(
        self,
        tasks: Sequence[Task],
        ctx: ops.Context,
        parallelism: int,
        stop: Stop,
        listener: Listener | None,
    ) -> None:
        self.tasks = list(tasks)
        self.by_id = {t.id: t for t in self.tasks}
        self.ctx = ctx
        self.parallelism = parallelism
        self.stop = stop
        self.listener = listener
        self.outcomes: dict[str, Outcome] = {}
        self.unmet = {t.id: len(t.deps) for t in self.tasks}
        self.dependents: dict[str, list[str]] = {}
        for task in self.tasks:
            for dep in sorted(task.deps):
                self.dependents.setdefault(dep, []).append(task.id)
        self.left_in_phase: dict[int, int] = {}
        for task in self.tasks:
            self.left_in_phase[task.phase] = self.left_in_phase.get(task.phase, 0) + 1
        self.ready: dict[int, deque[Task]] = {p: deque() for p in self.left_in_phase}
        self.queued: set[str] = set()  # handed to the workers, result not yet collected
        self.started: set[str] = set()  # taken by a worker (guarded by `_started_lock`)
        self._started_lock = threading.Lock()
        self.results: queue.Queue[Outcome] = queue.Queue()
        self.jobs: queue.Queue[Task | None] = queue.Queue()
        self.workers: list[threading.Thread] = []

    def run(self) -> list[Outcome]:
        for task in self.tasks:
            if task.op == SKIP:
                self._finish(Outcome(task, BLOCKED, task.change.reason or "blocked"))
            elif not task.deps:
                self.ready[task.phase].append(task)
        try:
            while len(self.outcomes) < len(self.tasks):
                self.stop.check_deadline()
                if not self.stop.stopping.is_set():
                    self._launch_ready()
                if not self.queued:
                    break  # interrupted, or nothing can ever start (a cycle would be a bug)
                if not self._collect():
                    break  # abandoned
        finally:
            for _ in self.workers:
                self.jobs.put(None)
        interrupted = self.stop.stopping.is_set()
        why = self.stop.why() if interrupted else "its dependencies never ran"
        with self._started_lock:
            in_flight = self.queued & self.started
        for task_id in sorted(in_flight):
            self.outcomes[task_id] = Outcome(self.by_id[task_id], UNCERTAIN, "abandoned in flight")
        for task in self.tasks:
            if task.id not in self.outcomes:
                self._finish(Outcome(task, NOT_STARTED, f"not started: {why}"))
        return [self.outcomes[t.id] for t in self.tasks]

    def _launch_ready(self) -> None:
        current = min((p for p, n in self.left_in_phase.items() if n), default=0)
        for phase in sorted(self.ready):
            if phase > current:
                break
            ready = self.ready[phase]
            while ready:
                self._launch(ready.popleft())

    def _launch(self, task: Task) -> None:
        self.queued.add(task.id)
        if len(self.workers) < min(self.parallelism, len(self.queued)):
            worker = threading.Thread(target=self._work, daemon=True, name="apply-worker")
            self.workers.append(worker)
            worker.start()
        self.jobs.put(task)

    def _work(self) -> None:
        while (task := self.jobs.get()) is not None:
            # counted as started before the check: an abandon in between then reports it
            # as uncertain, never as not started while its request may be on its way
            with self._started_lock:
                self.started.add(task.id)
            self.stop.check_deadline()
            if self.stop.stopping.is_set():
                self.results.put(Outcome(task, NOT_STARTED, f"not started: {self.stop.why()}"))
                continue
            self.results.put(self._perform(task))

    def _perform(self, task: Task) -> Outcome:
        from interform.lockfile.lock import LockLost
        from interform.lockfile.storage import StorageError

        try:
            return Outcome(task, APPLIED, done=_RUNNERS[task.op](self.ctx, task))
        except LockLost as err:
            self.stop.refuse(err)  # nothing more starts: another apply may be running
            return Outcome(task, NOT_STARTED, "not started: the apply lock was broken")
        except StorageError as err:
            self.stop.refuse(err)  # nothing more starts: it could not be recorded
            if err.after_send is None:
                return Outcome(task, NOT_STARTED, f"not started: {err.problems[0].message}")
            status = UNCERTAIN if task.op == CREATE else FAILED
            return Outcome(task, status, f"{err.after_send}; {err.problems[0].message}")
        except ProviderError as err:
            status = UNCERTAIN if err.uncertain and task.op == CREATE else FAILED
            return Outcome(task, status, err.describe())
        except Exception as err:  # a bug in one change must not lose the others' records
            return Outcome(task, FAILED, f"{type(err).__name__}: {err}")

    def _collect(self) -> bool:
        """Wait for one result (and take any others ready); False once abandoned."""
        while True:
            try:
                outcome = self.results.get(timeout=0.1)
                break
            except queue.Empty:
                if self.stop.abandon.is_set():
                    return False
                self.stop.check_deadline()
        self._done(outcome)
        while True:
            try:
                self._done(self.results.get_nowait())
            except queue.Empty:
                return True

    def _done(self, outcome: Outcome) -> None:
        self.queued.discard(outcome.task.id)
        self._finish(outcome)

    def _finish(self, outcome: Outcome) -> None:
        task = outcome.task
        self.outcomes[task.id] = outcome
        self.left_in_phase[task.phase] -= 1
        if self.listener is not None:
            self.listener(outcome)
        for dependent_id in self.dependents.get(task.id, ()):
            dependent = self.by_id[dependent_id]
            if dependent_id in self.outcomes:
                continue
            if outcome.status != APPLIED:
                why = f"it needs {task.change.address}, which {_past(outcome)}"
                self._finish(Outcome(dependent, SKIPPED, why))
                continue
            self.unmet[dependent_id] -= 1
            if self.unmet[dependent_id] == 0:
                self.ready[dependent.phase].append(dependent)


def _past(outcome: Outcome) -> str:
    return {
        FAILED: "failed",
        UNCERTAIN: "may or may not have been created",
        SKIPPED: "was skipped",
        BLOCKED: "is blocked",
        NOT_STARTED: "was not started",
    }.get(outcome.status, outcome.status)
