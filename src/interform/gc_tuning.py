"""The garbage collector's settings for interform's short-lived commands: one seam.

Loading and planning build hundreds of thousands of long-lived objects (definitions,
entries, changes) and almost no reference cycles; with Python's default thresholds the
cyclic collector rescans them again and again. What these settings save is measured in
bench/MACHINERY.md (a no-change plan of 10,000 definitions with a warm cache took about
two thirds of the time with them).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# the collector's thresholds once `fewer_gc_pauses` ran: seeing them tells `paused` that
# the command is a short-lived one
_SHORT_LIVED = (50_000, 20, 20)


def fewer_gc_pauses() -> None:
    """For the rest of a command (plan, apply): objects that exist now are never scanned
    again, and the collector runs rarely. A short-lived command can afford it."""
    gc.freeze()
    gc.set_threshold(*_SHORT_LIVED)


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection while the block runs (loading definitions), as before after.
    After `fewer_gc_pauses`, what the block built is frozen too: it lives to the end of
    the command, and the first collection after the pause would otherwise scan all of it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_threshold() == _SHORT_LIVED:
            gc.freeze()
        if enabled:
            gc.enable()
