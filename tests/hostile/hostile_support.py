"""Running the CLI on hostile input as a user would (a real process), measuring what the
corpus promises: the exit code, one line per problem, no traceback, wall time and peak
memory. Every run is recorded per category for the closing summary (conftest.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

# bench/measure.py measures a command as a grandchild, so its peak memory is its own
# (a child forked straight from pytest counts pytest's memory too)
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from measure import launched, read_report, report_path

CLI = [sys.executable, "-m", "interform"]

# what a run of interform on a small project takes at most, hostile input or not: the
# interpreter and its libraries take ~70 MB; a 500 MB answer once took 2.4 GB
MEMORY_LIMIT_MB = 128.0
# seconds: start-up (~0.3 s) plus the deadlines the cases configure (1 s, max_wait 2 s),
# with room for a machine shared with other test runs
TIME_LIMIT = 15.0


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def lines(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.strip()]


@dataclass
class Stats:
    cases: set[str] = field(default_factory=set)
    worst_seconds: float = 0.0
    peak_mb: float = 0.0


STATS: dict[str, Stats] = {}


def record(category: str, case: str, run: Run) -> None:
    stats = STATS.setdefault(category, Stats())
    stats.cases.add(case)
    stats.worst_seconds = max(stats.worst_seconds, run.seconds)
    stats.peak_mb = max(stats.peak_mb, run.peak_mb)


PROJECT = """\
project: hostile
targets:
  m1:
    provider: micro1
defaults:
  language: en
"""

DEMO = """\
title: Demo screen
targets: [m1]
questions:
  - text: Why this job?
"""


def write_project(root: Path, project: str = PROJECT, **definitions: str) -> Path:
    """interform.yaml and `definitions` (address -> YAML) under `root`."""
    (root / "interviews").mkdir(parents=True, exist_ok=True)
    (root / "interform.yaml").write_text(project, encoding="utf-8")
    for address, text in (definitions or {"demo": DEMO}).items():
        path = root / "interviews" / f"{address}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def evil_project(root: Path, url: str, count: int = 1, **settings: int) -> Path:
    """A project whose one target, `evil`, is micro1 at `url`, with `count` definitions
    on it; `settings` are the target's (timeout, max_wait, max_response_bytes)."""
    lines = ["project: hostile", "targets:", "  evil:", "    provider: micro1"]
    lines += [f"    base_url: {url}"] + [f"    {k}: {v}" for k, v in settings.items()]
    demo = DEMO.replace("[m1]", "[evil]")
    names = ["demo"] if count == 1 else [f"d{n}" for n in range(count)]
    project = "\n".join([*lines, "defaults:", "  language: en", ""])
    return write_project(root, project, **dict.fromkeys(names, demo))


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERFORM_")}
    env.update({"NO_COLOR": "1", **extra})
    return env


def run_cli(
    root: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    timeout: float = 60.0,
    during: Callable[[subprocess.Popen[bytes]], None] | None = None,
    stdout_lines: int | None = None,
) -> Run:
    """`interform -C root ARGS` in its own process; `during(process)` runs while it does
    (to send a signal); with `stdout_lines`, stdout is closed after that many lines, as
    `| head` does. Peak memory is interform's own (bench/measure.py's `LAUNCHER`)."""
    report = report_path()
    started = time.monotonic()
    proc = subprocess.Popen(
        launched([*CLI, "-C", str(root), *args], report),
        env=dict(env) if env is not None else environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # the launcher and interform: one group to kill on timeout
    )
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: out.append(_read(proc.stdout, stdout_lines))),
        threading.Thread(target=lambda: err.append(_read(proc.stderr))),
    ]
    for reader in readers:
        reader.start()
    try:
        if during is not None:
            during(proc)
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc.pid)
        raise
    for reader in readers:
        reader.join()
    peak_kb = read_report(report).max_rss
    return Run(
        code=code,
        stdout=b"".join(out).decode("utf-8", "replace"),
        stderr=b"".join(err).decode("utf-8", "replace"),
        seconds=time.monotonic() - started,
        peak_mb=peak_kb / 1024,  # kilobytes on Linux
    )


def _read(stream: IO[bytes] | None, lines: int | None = None) -> bytes:
    assert stream is not None
    if lines is None:
        return stream.read()
    head = b"".join(stream.readline() for _ in range(lines))
    stream.close()  # the reader goes away, as `head` does
    return head


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def assert_bounded(
    run: Run, *, seconds: float = TIME_LIMIT, memory_mb: float = MEMORY_LIMIT_MB
) -> None:
    """No traceback, no unexpected-error exit, within time and memory."""
    assert "Traceback" not in run.output, run.output
    assert "unexpected error" not in run.output, run.output
    assert run.code != 3, run.output
    assert run.seconds < seconds, f"took {run.seconds:.1f} s\n{run.output}"
    assert run.peak_mb < memory_mb, f"peak {run.peak_mb:.0f} MB\n{run.output}"


def refused(
    category: str,
    case: str,
    root: Path,
    args: tuple[str, ...],
    *fragments: str,
    env: Mapping[str, str] | None = None,
    alone: bool = False,
) -> Run:
    """Run `args`, record it, and check the refusal: bounded, exit 1, a line holding
    every fragment (with `alone`, the only line of output)."""
    run = run_cli(root, *args, env=env)
    record(category, case, run)
    assert_bounded(run)
    assert run.code == 1, run.output
    one_line_error(run, *fragments)
    if alone:
        assert len(run.lines()) == 1, run.output
    return run


def one_line_error(run: Run, *fragments: str) -> str:
    """The line of output holding every fragment (so the message is one line)."""
    for line in run.lines():
        if all(f in line for f in fragments):
            return line
    raise AssertionError(f"no line with {fragments}:\n{run.output}")
