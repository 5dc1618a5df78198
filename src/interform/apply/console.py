"""What apply prints while it runs and when it ends: a progress bar on a terminal
(stderr), one line per finished change otherwise, then a summary with the links,
the failures (in the platform's words), and what was skipped and why.

Every line passes through `secrets.scrub`.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Sequence
from typing import TextIO

from interform.apply.executor import (
    APPLIED,
    BLOCKED,
    FAILED,
    NOT_STARTED,
    SKIPPED,
    UNCERTAIN,
    Outcome,
)
from interform.apply.tasks import CREATE, REMOVE, REMOVE_REPLACED
from interform.plan.model import SYMBOLS, Action
from interform.secrets import scrub

FLUSH_EVERY = 0.1  # seconds between flushes of the change lines (no terminal)

_VERB = {
    Action.CREATE: "created",
    Action.UPDATE: "updated",
    Action.REPLACE: "replaced",
    Action.DELETE: "deleted",
    Action.ARCHIVE: "archived",
    Action.FORGET: "forgotten",
    Action.MOVE: "moved",
    Action.ADOPT: "adopted",
}


class Console:
    def __init__(
        self,
        out: TextIO | None = None,
        err: TextIO | None = None,
        *,
        bar: bool | None = None,
    ) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.bar = self.err.isatty() if bar is None else bar
        self.total = 0
        self.finished = 0
        self._mutex = threading.Lock()
        self._last_draw = 0.0
        self._last_flush = 0.0
        self._unflushed = False
        self.closed = False  # the reader of the output went away

    def say(self, text: str = "", *, err: bool = False) -> None:
        self._write(text, err=err, flush=True)

    def _write(self, text: str, *, err: bool, flush: bool) -> None:
        with self._mutex:
            try:
                self._emit(scrub(text), err=err, flush=flush)
            except BrokenPipeError:
                # `apply | head`: whoever read the output has gone; the apply goes on
                # (its records do not depend on anyone reading), silently from here
                self.closed = True
                stop_writing(self.out)
                stop_writing(self.err)

    def _emit(self, text: str, *, err: bool, flush: bool) -> None:
        if self.closed:
            return
        stream = self.err if err else self.out
        self._clear_bar()
        if err and self._unflushed:
            self.out.flush()  # what went before stays before, in a shared log
        stream.write(text + "\n")
        self._unflushed = not flush
        if flush:
            stream.flush()
            self._last_flush = time.monotonic()

    def start(self, total: int) -> None:
        self.total, self.finished = total, 0

    def progress(self, outcome: Outcome) -> None:
        """One finished task: a line (no terminal), or the bar moves on. A change that
        never started has no line here: the summary lists it once, under "Not applied"."""
        self.finished += 1
        if outcome.status == NOT_STARTED:
            self._end_lines()
            return
        if not self.bar:
            # a line per change, flushed every tenth of a second: a flush per line cost a
            # write (a GIL hand-off) per change, and a CI log does not need more
            due = time.monotonic() - self._last_flush >= FLUSH_EVERY
            self._write(change_line(outcome), err=False, flush=due or self.finished == self.total)
            return
        if outcome.status in (FAILED, UNCERTAIN):
            self.say(change_line(outcome), err=True)
        now = time.monotonic()
        if now - self._last_draw >= 0.05 or self.finished == self.total:
            self._last_draw = now
            self._draw()

    def _end_lines(self) -> None:
        """The last task finished without a line of its own: flush those before it."""
        if self.finished == self.total and self._unflushed and not self.bar:
            with self._mutex:
                self.out.flush()
                self._unflushed = False

    def end_progress(self) -> None:
        with self._mutex:
            try:
                if not self.closed:
                    self._clear_bar()
                    if self._unflushed:
                        self.out.flush()
            except BrokenPipeError:
                self.closed = True
                stop_writing(self.out)
            self._unflushed = False

    def _draw(self) -> None:
        width = 30
        done = self.finished * width // max(self.total, 1)
        bar = "#" * done + "-" * (width - done)
        with self._mutex:
            try:
                if not self.closed:
                    self.err.write(f"\r[{bar}] {self.finished}/{self.total} changes")
                    self.err.flush()
            except BrokenPipeError:
                self.closed = True
                stop_writing(self.err)

    def _clear_bar(self) -> None:
        if self.bar and self.total:
            self.err.write("\r\033[K")


def stop_writing(stream: TextIO) -> None:
    """Send what is still written to `stream` (a closed pipe) to /dev/null, so that
    neither a later write nor the flush at exit fails."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file (a test's buffer): nothing to do
        pass


def change_line(outcome: Outcome) -> str:
    change = outcome.task.change
    symbol = SYMBOLS.get(change.action, " ")
    if outcome.task.op == REMOVE_REPLACED:
        symbol = "-"
    head = f"{symbol} {change.address}"
    if outcome.status == APPLIED:
        return f"{head}: {_applied_words(outcome)}"
    return f"{head}: {outcome.status}: {outcome.message}"


def _applied_words(outcome: Outcome) -> str:
    task, done = outcome.task, outcome.done
    if task.op == REMOVE_REPLACED:
        words = f"old object {done.remote_id} removed"
    elif task.op == CREATE and task.change.action is Action.REPLACE:
        words = f"new object {done.remote_id} created"
    elif task.op == REMOVE:
        words = _VERB.get(task.change.action, "removed")
    else:
        words = _VERB.get(task.change.action, "applied")
        if task.op == CREATE and done.remote_id:
            words += f" ({done.remote_id})"
    if not task.sends:
        words += " (lockfile only)"
    links = labelled(done.urls) if task.op != REMOVE else ""
    return " ".join(part for part in (words, links, *done.notes) if part)


def labelled(urls: dict[str, str]) -> str:
    """`status: COMPLETED, candidate_id: …`: each value says what it is."""
    return ", ".join(f"{name}: {value}" for name, value in sorted(urls.items()))


def summary(
    outcomes: Sequence[Outcome], sandbox: bool, interrupted: str | None, elapsed: float = 0.0
) -> list[str]:
    """The closing lines: counts, then links, failures, and what did not run."""
    applied = [o for o in outcomes if o.status == APPLIED and o.task.op != REMOVE_REPLACED]
    counts: dict[str, int] = {}
    for outcome in applied:
        verb = _VERB.get(outcome.task.change.action, "applied")
        counts[verb] = counts.get(verb, 0) + 1
    parts = [f"{n} {verb}" for verb, n in sorted(counts.items())] or ["nothing changed"]
    bad = [o for o in outcomes if o.status != APPLIED]
    state = "interrupted" if interrupted else ("incomplete" if bad else "complete")
    where = " against the sandbox (local emulators, no real platform was called)" if sandbox else ""
    took = f" in {elapsed:.2f} s" if elapsed else ""
    lines = [f"Apply {state}{where}: {', '.join(parts)}{took}."]
    if interrupted:
        lines.append(f"Stopped by {interrupted}: changes in flight were finished or left pending.")
    lines += _section("Links", _links(applied))
    lines += _section("Failed", _listed(outcomes, FAILED))
    lines += _section(
        "Outcome unknown (checked on the next plan or apply, never created twice)",
        _listed(outcomes, UNCERTAIN),
    )
    lines += _section("Blocked", _blocked(outcomes))
    lines += _section("Skipped", _listed(outcomes, SKIPPED))
    lines += _section("Not applied", _listed(outcomes, NOT_STARTED))
    return lines


def _section(title: str, items: list[str]) -> list[str]:
    return [f"{title}:", *(f"  {item}" for item in items)] if items else []


def _links(applied: Sequence[Outcome]) -> list[str]:
    """Each made or changed object's links and ids, labelled; an object whose platform
    gives it no link of its own says where its links come from."""
    from interform.providers.registry import kind_spec

    lines = []
    for outcome in applied:
        change, done = outcome.task.change, outcome.done
        if outcome.task.op == REMOVE:
            continue
        if done.urls:
            lines.append(f"{change.address}  {labelled(done.urls)}")
        made = outcome.task.op == CREATE and done.remote_id
        links = kind_spec(change.provider, change.kind).links
        if made and links and not any(u.startswith("http") for u in done.urls.values()):
            lines.append(f"{change.address}  id: {done.remote_id} ({links})")
    return lines


def _listed(outcomes: Sequence[Outcome], status: str) -> list[str]:
    return [f"{o.task.change.address}: {o.message}" for o in outcomes if o.status == status]


def _blocked(outcomes: Sequence[Outcome]) -> list[str]:
    lines = []
    for outcome in outcomes:
        if outcome.status != BLOCKED:
            continue
        change = outcome.task.change
        line = f"{change.address}: {change.reason}"
        if change.import_command:
            line += f"; run `{change.import_command}`"
        lines.append(line)
    return lines
