"""Run one command in a fresh process and measure it: wall time and the child's peak
memory (maximum resident set size, from `wait4`, so only that child is counted).

The command runs as a grandchild, forked by a small launcher (`LAUNCHER`): a child forked
straight from a large parent (pytest, the bench itself) counts the parent's memory too,
since its high-water mark includes the pages it shared with the parent until exec.

Used by `bench/run.py`; standard library only, so the harness measures interform and
not itself.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# argv: REPORT COMMAND...; runs COMMAND, forwards SIGINT/SIGTERM to it, writes
# "MAXRSS UTIME STIME SECONDS" (its own usage and wall time, the launcher's start-up
# excluded) to REPORT and exits as it did
LAUNCHER = """
import os, signal, sys, time
report, argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(argv[0], argv)
for signum in (signal.SIGINT, signal.SIGTERM):
    signal.signal(signum, lambda s, f: os.kill(pid, s))
while True:
    try:
        _, status, usage = os.wait4(pid, 0)
        break
    except InterruptedError:
        continue
seconds = time.perf_counter() - started
with open(report, "w") as f:
    f.write(f"{usage.ru_maxrss} {usage.ru_utime} {usage.ru_stime} {seconds}")
code = os.waitstatus_to_exitcode(status)
sys.exit(128 - code if code < 0 else code)
"""


def launched(argv: Sequence[str], report: Path) -> list[str]:
    """`argv` run through `LAUNCHER`, its usage written to `report`."""
    return [sys.executable, "-c", LAUNCHER, str(report), *argv]


@dataclass(frozen=True)
class Usage:
    """What the launcher reports of its command; all 0 when it reported nothing (it was
    killed before its command ended)."""

    max_rss: int = 0  # as `ru_maxrss` gives it: kilobytes on Linux, bytes on macOS
    cpu_seconds: float = 0.0
    seconds: float = 0.0


def read_report(report: Path) -> Usage:
    """The usage a launcher wrote to `report` (the file is removed)."""
    try:
        maxrss, utime, stime, seconds = report.read_text().split()
    except (OSError, ValueError):
        return Usage()
    finally:
        report.unlink(missing_ok=True)
    return Usage(int(maxrss), float(utime) + float(stime), float(seconds))


def report_path() -> Path:
    """A fresh file name for one launcher's report."""
    return Path(tempfile.gettempdir()) / f"interform-usage-{os.getpid()}-{time.monotonic_ns()}"


@dataclass(frozen=True)
class Sample:
    seconds: float
    max_rss_mb: float
    returncode: int
    stderr: str
    cpu_seconds: float = 0.0  # user + system time of the child


@dataclass
class Series:
    """Several runs of one measurement; `error` is set when a run failed."""

    samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def spread(self) -> tuple[float, float]:
        times = [s.seconds for s in self.samples]
        return min(times), max(times)

    @property
    def peak_mb(self) -> float:
        return max(s.max_rss_mb for s in self.samples)

    @property
    def median_cpu(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.samples)


def process_cpu_seconds(pid: int) -> float:
    """User + system time a running process has used so far (Linux /proc), 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # fields after the command name: state is [0], utime [11], stime [12], in clock ticks
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def interform_executable() -> str:
    """The `interform` script of the interpreter running the benchmark (what users run),
    or the one on PATH."""
    beside = Path(sys.executable).with_name("interform")
    found = str(beside) if beside.is_file() else shutil.which("interform")
    if found is None:
        raise SystemExit("interform is not installed: pip install -e . first")
    return found


def child_env(**extra: str) -> dict[str, str]:
    """The environment of measured commands: no colour, no inherited sandbox switch."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERFORM_")}
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


def run_once(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> Sample:
    report = report_path()
    proc = subprocess.Popen(
        launched(argv, report), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    # stderr of the commands measured is short; reading it before waiting avoids a
    # full pipe blocking the child
    stderr = proc.stderr.read().decode(errors="replace")
    proc.wait()
    proc.stderr.close()
    usage = read_report(report)
    # ru_maxrss is in kilobytes on Linux (bytes on macOS)
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / (1024 * 1024)
    return Sample(usage.seconds, usage.max_rss * scale, proc.returncode, stderr, usage.cpu_seconds)


def measure(
    argv: Sequence[str],
    cwd: Path,
    runs: int,
    *,
    env: dict[str, str] | None = None,
    before: Callable[[int], None] | None = None,
    ok: Sequence[int] = (0,),
) -> Series:
    """`runs` fresh processes of `argv`; `before(i)` prepares run i (e.g. empties a
    cache). The first run whose exit code is not in `ok` stops the series."""
    series = Series()
    for i in range(runs):
        if before is not None:
            before(i)
        sample = run_once(argv, cwd, env or child_env())
        if sample.returncode not in ok:
            last = (sample.stderr.strip().splitlines() or ["(no output)"])[-1]
            series.error = f"exit {sample.returncode}: {last}"
            break
        series.samples.append(sample)
    return series
