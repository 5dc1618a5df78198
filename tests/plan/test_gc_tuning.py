"""The garbage collector's settings (`interform.gc_tuning`), in a fresh process each, so
the test process keeps its own: after `fewer_gc_pauses`, what a paused block built is
frozen (never scanned again); without it, the pause only pauses."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import gc, sys
from interform.gc_tuning import fewer_gc_pauses, paused
if sys.argv[1] == "short":
    fewer_gc_pauses()
before = gc.get_freeze_count()
with paused():
    assert not gc.isenabled()
    built = [[i] for i in range(10_000)]
print(gc.isenabled(), gc.get_freeze_count() - before >= len(built))
"""


def _probe(mode: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_a_short_lived_command_freezes_what_loading_built() -> None:
    assert _probe("short") == "True True"


def test_otherwise_the_pause_only_pauses() -> None:
    assert _probe("long") == "True False"
