"""SIGINT/SIGTERM during apply: the first stops the starting of changes and lets those
in flight finish (each is checkpointed as it ends); a second abandons them (a create in
flight stays pending in the journal and is resolved on the next run)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

from interform import waiting
from interform.apply.executor import Stop

NAMES = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}


@contextlib.contextmanager
def stopping_on_signals(stop: Stop, notice: Callable[[str], None]) -> Iterator[Stop]:
    """Route SIGINT and SIGTERM to `stop` while the block runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handle(signum: int, frame: FrameType | None) -> None:
        name = NAMES.get(signal.Signals(signum), str(signum))
        if stop.stopping.is_set():
            stop.abandon.set()
            notice(f"{name} again: abandoning the changes in flight (they are resolved next run)")
            return
        stop.signal = signum
        stop.stopping.set()
        waiting.interrupt()  # a change waiting to retry has sent nothing: it stops now
        notice(
            f"{name}: starting no more changes; finishing those in flight "
            "(send it again to abandon them)"
        )

    previous = {s: signal.signal(s, handle) for s in NAMES}
    try:
        yield stop
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def exit_code_for(signum: int | None) -> int:
    return 128 + int(signum) if signum else 0
