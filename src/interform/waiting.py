"""Waiting in the open: the run's own deadline (`--timeout`), and a line on stderr
whenever interform is about to wait long enough for someone to wonder why.

One process runs one command, so the deadline is process-wide: the command sets it
first thing (`start_run`), and every request and every wait looks at it.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Final

from interform.secrets import scrub

NOTICE_AFTER: Final = 3.0  # seconds: shorter waits pass without a word

Sink = Callable[[str], None]

_lock = threading.Lock()
_run: dict[str, float | None] = {"deadline": None, "timeout": None}
_sink: list[Sink] = []
_interrupted = threading.Event()
_said: dict[str, float] = {}  # notice -> when it was last printed


class RunTimedOut(Exception):
    """The run's `--timeout` is up: nothing more may be sent or waited for."""


class WaitInterrupted(Exception):
    """The run was told to stop (Ctrl-C) during a wait."""


def start_run(timeout: float | None) -> None:
    """The command's deadline, `timeout` seconds from now (None: none)."""
    with _lock:
        _run["timeout"] = timeout
        _run["deadline"] = None if timeout is None else time.monotonic() + timeout
        _interrupted.clear()


def sleep(seconds: float) -> None:
    """`time.sleep` for waits on a platform (backoff, Retry-After, rate limits), which
    ends at once, raising WaitInterrupted, when the run is told to stop: the first
    Ctrl-C of an apply lets requests in flight finish, but a wait has sent nothing yet."""
    if _interrupted.wait(max(seconds, 0.0)):
        raise WaitInterrupted("interrupted during a wait")


def interrupt() -> None:
    """End every wait now, and the ones to come (see `sleep`)."""
    _interrupted.set()


def run_deadline() -> float | None:
    """Monotonic time the run must end by (None: no `--timeout`)."""
    return _run["deadline"]


def run_left() -> float:
    """Seconds before the run's deadline (infinite without one)."""
    deadline = _run["deadline"]
    return math.inf if deadline is None else deadline - time.monotonic()


def check_run(what: str) -> None:
    """Raise RunTimedOut when the run's deadline has passed, naming what was not done."""
    if run_left() <= 0:
        raise RunTimedOut(f"{what}: the run's --timeout of {_run['timeout']:g} s is up")


def clip_to_run(deadline: float) -> float:
    """`deadline` (monotonic), or the run's own when it comes first."""
    run = _run["deadline"]
    return deadline if run is None else min(deadline, run)


def set_sink(sink: Sink | None) -> None:
    """Where notices go (apply routes them around its progress bar); None: stderr."""
    with _lock:
        _sink[:] = [sink] if sink is not None else []


def announce(seconds: float, why: str) -> None:
    """Say on stderr that interform waits `seconds` for `why` (only a long wait)."""
    if seconds < NOTICE_AFTER:
        return
    text = f"interform: waiting {seconds:.0f} s for {why} (until {until(seconds)})"
    with _lock:
        # workers of one target meet the same wait together: one line says it
        now = time.monotonic()
        if _said.get(text, -math.inf) > now - NOTICE_AFTER:
            return
        _said[text] = now
    sink = _sink[0] if _sink else _stderr
    sink(scrub(text))


def until(seconds: float) -> str:
    """The wall-clock time `seconds` from now, as users read it in logs."""
    try:
        when = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    except (OverflowError, ValueError):  # infinite, NaN, or past the year 9999
        return "never"
    shown = "%H:%M:%S UTC" if seconds < 86_400 else "%Y-%m-%d %H:%M:%S UTC"
    return when.strftime(shown)


def _stderr(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # stderr gone: the wait goes on unannounced
