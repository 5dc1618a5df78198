"""SIGINT and SIGTERM on a real `interform apply` process: no more changes start, those
in flight finish and are recorded, the lockfile is written, the exit code says which
signal; the next apply finishes the job without creating anything twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from interform.lockfile.store import journal_path
from interform.workspace import SANDBOX_LOCKFILE

from .support import FRONTEND, make_project, remote_objects, sandbox_lock

COUNT = 10
APPLY = [sys.executable, "-m", "interform"]


def start_apply(root: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "INTERFORM_SANDBOX_FAULTS": "latency=150ms", "NO_COLOR": "1"}
    return subprocess.Popen(
        [*APPLY, "-C", str(root), "apply", "--sandbox", "--auto-approve", "--parallelism", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for_created(root: Path, proc: subprocess.Popen[str], timeout: float = 30) -> None:
    journal = journal_path(root / SANDBOX_LOCKFILE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and b'"t":"created"' in journal.read_bytes():
            return
        time.sleep(0.02)
    raise AssertionError("apply never recorded a create")


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_apply_cleanly(tmp_path: Path, sig: signal.Signals, code: int) -> None:
    defs = {f"many/f{i}": FRONTEND.replace("Frontend", f"Frontend {i}") for i in range(COUNT)}
    root = make_project(tmp_path, **{"eng/backend": "", "research/study": "", **defs})
    proc = start_apply(root)
    wait_for_created(root, proc)
    proc.send_signal(sig)
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode == code, output
    assert "Apply interrupted" in output and "Not applied:" in output
    # each change that never started is said once, in the summary, without a symbol
    unstarted = [line for line in output.splitlines() if "not started" in line]
    assert unstarted and all(line.startswith("  many/f") for line in unstarted), unstarted
    assert len({line.split(":")[0] for line in unstarted}) == len(unstarted)
    assert not journal_path(root / SANDBOX_LOCKFILE).exists()
    lock = sandbox_lock(root)
    assert all(e.remote_id and not e.pending for e in lock.entries.values())
    made = remote_objects(root)[("micro1", "micro1")]
    assert 1 <= len(lock.entries) == len(made) < COUNT + 1
    proc = start_apply(root)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, output
    assert len(remote_objects(root)[("micro1", "micro1")]) == COUNT + 1
