"""Ctrl-C and SIGTERM in every phase (waiting on a platform, reading back after apply,
reading for plan --refresh) end the run at once with 130 or 143 and the lock released;
a closed stdout stops the output, not the apply."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .evil_server import EvilServer
from .hostile_support import (
    DEMO,
    assert_bounded,
    environment,
    evil_project,
    one_line_error,
    record,
    run_cli,
    write_project,
)

SETTLE = 15.0  # seconds the wait for a phase may take on a loaded machine


def when_seen(
    evil: EvilServer, mode: str, method: str, signum: int
) -> Callable[[subprocess.Popen[bytes]], None]:
    """Send `signum` once the server has seen a `method` request of `mode` (the run is
    then in the phase under test), and note how long the run takes to end after it."""

    def during(proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + SETTLE
        while not any(s.method == method for s in evil.seen(mode)):
            assert time.monotonic() < deadline, f"never reached a {method} of {mode}"
            time.sleep(0.05)
        time.sleep(0.3)  # into the wait
        proc.send_signal(signum)

    return during


PHASES = {
    # (mode, command, method seen before the signal)
    "the read-back after apply": ("slow-reads", ("apply", "--auto-approve"), "GET"),
    "a Retry-After wait": ("retry-after-3600", ("apply", "--auto-approve"), "POST"),
}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("phase", sorted(PHASES))
def test_a_signal_ends_the_run_at_once(
    phase: str, signum: int, evil: EvilServer, tmp_path: Path
) -> None:
    mode, command, method = PHASES[phase]
    evil.requests.clear()
    root = evil_project(tmp_path, f"{evil.url}/{mode}", 3, timeout=60, max_wait=7200)
    env = environment(MICRO1_API_KEY="k3y-signals")
    run = run_cli(root, *command, env=env, during=when_seen(evil, mode, method, signum))
    record("signals", f"{signal.Signals(signum).name} during {phase}", run)
    assert_bounded(run, seconds=SETTLE + 5)
    assert run.code == 128 + signum, run.output
    assert not (root / "interform.lock.lock").exists(), "the lock is released"
    assert "Traceback" not in run.output
    if mode.startswith("retry-after"):  # the wait was announced, once for the 3 workers
        notice = "interform: waiting 3600 s for micro1 to retry POST /interview (HTTP 429)"
        assert run.stderr.count(notice) == 1, run.stderr


def test_ctrl_c_while_plan_refresh_reads(evil: EvilServer, tmp_path: Path) -> None:
    root = evil_project(tmp_path, f"{evil.url}/ok", 3)
    env = environment(MICRO1_API_KEY="k3y-signals")
    assert run_cli(root, "apply", "--auto-approve", env=env).code == 0
    evil.requests.clear()
    evil_project(tmp_path, f"{evil.url}/silent", 3, timeout=60)
    during = when_seen(evil, "silent", "GET", signal.SIGINT)
    run = run_cli(root, "plan", "--refresh", env=env, during=during)
    record("signals", "SIGINT during plan --refresh", run)
    assert_bounded(run, seconds=SETTLE + 5)
    assert run.code == 130, run.output
    one_line_error(run, "interrupted")


# the reader of stdout is gone before interform writes a byte (`| true`), so every write
# meets a closed pipe, whatever the size of the pipe's buffer
MANY = {f"team/d{n:02d}": DEMO for n in range(40)}


def test_a_closed_stdout_stops_the_output_not_the_apply(tmp_path: Path) -> None:
    """`interform apply | true`: every change is still made and recorded."""
    root = write_project(tmp_path, **MANY)
    run = run_cli(root, "apply", "--sandbox", "--auto-approve", stdout_lines=0)
    record("signals", "apply with stdout closed", run)
    assert_bounded(run)
    assert run.code == 0, run.output
    lock = json.loads((root / ".interform" / "sandbox" / "interform.lock").read_text())
    assert len(lock["entries"]) == len(MANY)
    assert run_cli(root, "plan", "--sandbox", "--detailed-exitcode").code == 0


def test_a_closed_stdout_ends_plan_with_one_line(tmp_path: Path) -> None:
    root = write_project(tmp_path, **MANY)
    run = run_cli(root, "plan", "--sandbox", stdout_lines=0)
    record("signals", "plan with stdout closed", run)
    assert_bounded(run)
    assert run.code == 1, run.output
    one_line_error(run, "stdout was closed: output stopped")
