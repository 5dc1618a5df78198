"""`force-unlock --force` under a running apply, then a second apply (item 3 of issue 14:
both used to exit 0, leaving 147 duplicates and a plan saying "No changes"). The first
apply must stop before its next remote call and write no lockfile; the second, and
the applies after it, converge with every object made once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from interform.lockfile.lock import lock_path, read_lock
from interform.lockfile.store import journal_path
from project_files import write_definition

from .harness import cli, converge, environment, make_project, managed_remote, serve, start

SCREENS = 40


def screen(n: int) -> str:
    return f"title: Screen {n}\ntargets: [micro1]\nquestions:\n  - text: Question {n}?\n"


@pytest.mark.slow
def test_an_apply_whose_lock_is_broken_stops_and_nothing_is_made_twice(tmp_path: Path) -> None:
    with serve(tmp_path / "state", "latency=60ms") as served:
        root = make_project(tmp_path / "project", served.url, timeout=2.0)
        for n in range(SCREENS):
            write_definition(root, f"load/screen-{n:02d}", screen(n))
        env = environment("broken")
        first = start(root, env, "apply", "--auto-approve", "--parallelism", "2")
        holder = _wait_for_creates(root, first)
        assert cli(root, env, "force-unlock", holder)[0] == 1  # alive: refused
        forced, said = cli(root, env, "force-unlock", "--force", holder)
        assert forced == 0, said
        second = start(root, env, "apply", "--auto-approve")
        out_first = first.communicate(timeout=120)[0]
        out_second = second.communicate(timeout=120)[0]
        assert first.returncode == 1, out_first
        assert "was broken while this command ran" in out_first
        assert "stopped before its next remote call" in out_first
        assert second.returncode in (0, 1), out_second
        seen = converge(root, env, served.state, "broken")
        assert seen.imports == []
        lock_entries = _micro1_ids(root)
        remote = managed_remote(served.state, "broken")[("micro1", "interview")]
        assert len(remote) == SCREENS + 2  # the 40 screens, frontend and backend
        assert remote == lock_entries


def _wait_for_creates(root: Path, proc: object) -> str:
    """The lock id of the running apply, once it has begun creating."""
    lockfile = root / "interform.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        journal = journal_path(lockfile)
        if journal.exists() and journal.read_bytes().count(b'"t":"intent"') >= 4:
            info = read_lock(lock_path(lockfile))
            assert info is not None
            return info.id
        time.sleep(0.01)
    raise AssertionError("the apply never started creating")


def _micro1_ids(root: Path) -> set[str]:
    from interform.lockfile.store import read_lockfile

    lock = read_lockfile(root / "interform.lock")
    assert lock is not None
    return {e.remote_id or "" for e in lock.entries.values() if e.target == "micro1"}
