"""Start `interform sandbox serve` for a benchmark and stop it afterwards.

The server picks a free port (`--port 0`) and prints one line when it is ready; the
URL is read from that line. It is stopped with SIGTERM (it finishes requests in flight).
"""

from __future__ import annotations

import re
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from measure import child_env, interform_executable

READY = re.compile(r"listening on (http://\S+)")
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:PORT
    pid: int


@contextmanager
def sandbox_server(state_dir: Path, faults: str) -> Iterator[Server]:
    """The running server while the block runs."""
    argv = [interform_executable(), "sandbox", "serve", "--port", "0"]
    argv += ["--faults", faults, "--state-dir", str(state_dir)]
    state_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        argv, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        yield Server(_wait_ready(proc), proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=START_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def _wait_ready(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the server prints its ready line, then nothing more
    found = READY.search(line)
    if found is None:
        proc.kill()
        _, err = proc.communicate()
        raise RuntimeError(f"sandbox serve did not start: {(line + err).strip()}")
    return found.group(1)
