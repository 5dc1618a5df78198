"""A disk that fills up or turns read-only under an apply (item 4 of issue 14): every
journal write is complete and durable before the request it guards is sent, or the
request is not sent; the command ends with one line saying what could not be written
(exit 1), leaves no lock and no temporary file, and loses nothing — the next apply, with
space again, converges with every object made exactly once."""

from __future__ import annotations

import resource
import subprocess
from pathlib import Path

import pytest

from project_files import write_definition

from . import smalldisk
from .harness import (
    CLI,
    Served,
    assert_exactly_once,
    cli,
    converge,
    environment,
    make_project,
    serve,
)

SCREENS = 30  # micro1 definitions beside the four of every e2e project: a bigger journal
ENTRIES = 10 + SCREENS
# free bytes left on the disk: from too little for the lock to enough for everything
FREE = [0, 8_192, 65_536, 81_920, 98_304, 114_688, 131_072, 163_840, 196_608, 262_144]
LEFTOVERS = (".lock.lock", ".tmp", ".new")  # what a refused command must not leave

needs_small_disk = pytest.mark.skipif(
    not smalldisk.available(), reason="cannot mount a tmpfs in a user namespace here"
)


def project(base: Path, served: Served, name: str) -> Path:
    root = make_project(base / name, served.url)
    for n in range(SCREENS):
        text = f"title: Screen {n}\ntargets: [micro1]\nquestions:\n  - text: Question {n}?\n"
        write_definition(root, f"load/screen-{n:02d}", text)
    return root


def assert_refused_cleanly(root: Path, code: int, output: str) -> None:
    """Exit 0, or exit 1 with one line saying what could not be written; never a crash,
    never a lock or a temporary file left behind."""
    assert code in (0, 1), output
    assert "Traceback" not in output and "unexpected error" not in output, output
    if code == 1:  # the error itself is one line (the summary may name the changes)
        refused = [line for line in output.splitlines() if ": cannot " in line and " — " in line]
        assert len(refused) == 1, output
    left = [p.name for p in root.rglob("*") if p.name.endswith(LEFTOVERS)]
    assert left == [], left


@pytest.mark.slow
@needs_small_disk
def test_an_apply_on_a_filling_disk_is_durable_or_refused(tmp_path: Path) -> None:
    with serve(tmp_path / "state", "latency=5ms") as served:
        outcomes = set()
        for free in FREE:
            account = f"full{free}"
            root = project(tmp_path, served, account)
            env = environment(account)
            code, output = smalldisk.run(root, env, "apply", "--auto-approve", free=free)
            assert_refused_cleanly(root, code, output)
            outcomes.add(_what_happened(code, output))
            converge(root, env, served.state, account)
            assert_exactly_once(root, served.state, account, ENTRIES)
    # the levels reach every way of ending: the lock refused, the journal refused at
    # once or part-way through the creates, and a complete apply
    assert {"lock", "journal", "part-way", "done"} <= outcomes, outcomes


def _what_happened(code: int, output: str) -> str:
    if code == 0:
        return "done"
    if "cannot take the apply lock" in output:
        return "lock"
    if " created" in output or "Outcome unknown" in output:
        return "part-way"
    return "journal" if "cannot write the journal" in output else "lockfile"


@pytest.mark.slow
@needs_small_disk
def test_a_read_only_disk_refuses_changes_in_one_line_and_still_plans(tmp_path: Path) -> None:
    with serve(tmp_path / "state", "latency=5ms") as served:
        root = project(tmp_path, served, "ro")
        env = environment("ro")
        assert cli(root, env, "apply", "--auto-approve")[0] == 0
        write_definition(root, "load/screen-00", "")  # something to do
        for args in (("apply", "--auto-approve"), ("state", "rm", "load/screen-01@micro1")):
            code, output = smalldisk.run(root, env, *args, read_only=True)
            assert code == 1, output
            assert_refused_cleanly(root, code, output)
            assert "Read-only file system — the file system is read-only" in output
        code, output = smalldisk.run(root, env, "plan", read_only=True)
        assert code == 0 and "load/screen-00@micro1" in output, output
        converge(root, env, served.state, "ro")
        assert_exactly_once(root, served.state, "ro", ENTRIES - 1)


def _limited(size: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


@pytest.mark.slow
def test_files_that_may_not_grow_refuse_the_apply_cleanly(tmp_path: Path) -> None:
    """Where no tmpfs can be mounted: a file size limit (RLIMIT_FSIZE) refuses the
    journal's growth the way a full disk does (EFBIG), with short writes on the way."""
    with serve(tmp_path / "state", "latency=5ms") as served:
        for limit in (1_000, 70_000, 140_000, 400_000):
            account = f"limit{limit}"
            root = project(tmp_path, served, account)
            env = environment(account)
            proc = subprocess.run(
                [*CLI, "-C", str(root), "apply", "--auto-approve"],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                preexec_fn=lambda limit=limit: _limited(limit),  # type: ignore[misc]
            )
            assert_refused_cleanly(root, proc.returncode, proc.stdout + proc.stderr)
            converge(root, env, served.state, account)
            assert_exactly_once(root, served.state, account, ENTRIES)
