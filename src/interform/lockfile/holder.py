"""Is the process that took a lock still running? What this machine can tell about a
process id: whether it exists and when it started, so a pid reused by a later process
is not mistaken for the holder. Linux answers from /proc; elsewhere only whether the
pid exists is known."""

from __future__ import annotations

import os
from datetime import datetime
from functools import cache
from pathlib import Path

_PROC = Path("/proc")


@cache
def machine() -> str:
    """This boot and process namespace: pids are only comparable within them ("" where
    neither can be read)."""
    parts = []
    try:
        parts.append((_PROC / "sys/kernel/random/boot_id").read_text().strip())
        parts.append(os.readlink(_PROC / "self/ns/pid"))
    except OSError:
        return ""
    return "/".join(parts)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_ticks(pid: int) -> int | None:
    """When process `pid` started, in clock ticks since boot (None: unknown)."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # the command name in parentheses may hold spaces: fields start after the last ')'
    fields = stat[stat.rfind(")") + 2 :].split()
    try:
        return int(fields[19])  # field 22 of the whole line: starttime
    except (IndexError, ValueError):
        return None


def started_after(pid: int, moment: str) -> bool:
    """Whether process `pid` provably started after `moment` (ISO time, to the second),
    so it cannot be the process that did something then."""
    ticks = start_ticks(pid)
    boot = _boot_time()
    try:
        when = datetime.fromisoformat(moment).timestamp()
    except ValueError:
        return False
    if ticks is None or boot is None:
        return False
    started = boot + ticks / os.sysconf("SC_CLK_TCK")
    return started > when + 2.0  # the record is to the second, boot time too


def _boot_time() -> float | None:
    try:
        for line in (_PROC / "stat").read_text().splitlines():
            if line.startswith("btime "):
                return float(line.split()[1])
    except (OSError, ValueError):
        return None
    return None
