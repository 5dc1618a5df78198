"""The apply lock: one holder at a time, stale locks reported, broken only on request."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from interform.errors import UserError
from interform.lockfile.lock import (
    ApplyLock,
    LockHeld,
    LockLost,
    force_unlock,
    lock_path,
    read_lock,
)


def test_second_holder_is_refused_naming_the_first(tmp_path: Path) -> None:
    lockfile = tmp_path / "interform.lock"
    with ApplyLock(lockfile, "apply") as first:
        assert first.info is not None
        with pytest.raises(LockHeld) as err:
            ApplyLock(lockfile, "destroy").acquire()
        assert first.info.id in str(err.value)
        assert "`apply`" in str(err.value) and err.value.stale is None
    assert not lock_path(lockfile).exists()


def test_waiting_holder_gets_the_lock_when_it_is_released(tmp_path: Path) -> None:
    lockfile = tmp_path / "interform.lock"
    first = ApplyLock(lockfile, "apply")
    first.acquire()
    threading.Timer(0.3, first.release).start()
    second = ApplyLock(lockfile, "apply")
    info = second.acquire(timeout=5, poll=0.05)
    held = read_lock(lock_path(lockfile))
    assert held is not None and held.id == info.id
    second.release()


def _lock_of_dead_process(lockfile: Path) -> str:
    code = (
        "import sys; from pathlib import Path; from interform.lockfile.lock import ApplyLock;"
        "ApplyLock(Path(sys.argv[1]), 'apply').acquire(); import os; os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(lockfile)], check=True)
    info = read_lock(lock_path(lockfile))
    assert info is not None
    return info.id


def test_lock_of_a_dead_process_is_broken_with_a_line_saying_so(tmp_path: Path) -> None:
    """After a plain kill -9 the rerun must not need a manual force-unlock."""
    lockfile = tmp_path / "interform.lock"
    dead = _lock_of_dead_process(lockfile)
    said: list[str] = []
    with ApplyLock(lockfile, "apply", notice=said.append) as held:
        assert held.info is not None and held.info.id != dead
    (line,) = said
    assert line.startswith("Broke the apply lock of ") and f"lock id {dead}" in line
    assert line.endswith("is not running.")


def _lock_for(lockfile: Path, pid: int, **fields: object) -> str:
    """A lock file as process `pid` would have written it (with `fields` changed)."""
    with ApplyLock(lockfile, "apply") as holder:
        assert holder.info is not None
        data = {**json.loads(lock_path(lockfile).read_text()), "pid": pid, **fields}
    lock_path(lockfile).write_text(json.dumps(data))
    return str(data["id"])


def test_a_pid_reused_by_a_later_process_is_not_the_holder(tmp_path: Path) -> None:
    lockfile = tmp_path / "interform.lock"
    with subprocess.Popen(["sleep", "30"]) as other:
        try:
            start = int(Path(f"/proc/{other.pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
            _lock_for(lockfile, other.pid, pid_start=start - 1)
            said: list[str] = []
            ApplyLock(lockfile, "apply", notice=said.append).acquire()
            assert "is another process than the one that took the lock" in said[0]
            lock_path(lockfile).unlink()
            # a lock of an older interform, without the start: compared with its time
            _lock_for(lockfile, other.pid, pid_start=0, started_at="2026-01-01T00:00:00+00:00")
            said.clear()
            ApplyLock(lockfile, "apply", notice=said.append).acquire()
            assert "started after the lock was taken" in said[0]
        finally:
            other.kill()


def test_a_live_holder_here_is_never_stale_however_late_its_lease(tmp_path: Path) -> None:
    lockfile = tmp_path / "interform.lock"
    _lock_for(lockfile, os.getpid(), lease=0, lease_until=time.time() - 3600)
    with pytest.raises(LockHeld) as err:
        ApplyLock(lockfile, "apply").acquire()
    assert err.value.stale is None and "is locked by" in str(err.value)


def test_another_hosts_lock_is_stale_once_its_lease_expired(tmp_path: Path) -> None:
    lockfile = tmp_path / "interform.lock"
    lock_id = _lock_for(lockfile, 4242, host="ci-runner-7", lease=0, lease_until=time.time() - 1)
    with pytest.raises(LockHeld) as err:
        ApplyLock(lockfile, "apply").acquire()
    assert err.value.stale and "lease expired" in err.value.stale
    assert f"interform force-unlock {lock_id}" in str(err.value)
    force_unlock(lockfile, lock_id)
    assert not lock_path(lockfile).exists()
    # within its lease it is a live lock elsewhere
    _lock_for(lockfile, 4242, host="ci-runner-7", lease=0, lease_until=time.time() + 60)
    with pytest.raises(LockHeld) as live:
        ApplyLock(lockfile, "apply").acquire()
    assert live.value.stale is None


def test_lease_is_renewed_while_held(tmp_path: Path) -> None:
    lockfile = tmp_path / "interform.lock"
    with ApplyLock(lockfile, "apply", lease=0.4) as held:
        first = read_lock(lock_path(lockfile))
        time.sleep(0.35)
        later = read_lock(lock_path(lockfile))
        assert first and later and later.lease_until > first.lease_until
        assert held.info is not None and later.id == held.info.id


def test_a_holder_whose_lock_was_broken_stops_and_leaves_the_new_lock_alone(
    tmp_path: Path,
) -> None:
    lockfile = tmp_path / "interform.lock"
    first = ApplyLock(lockfile, "apply", lease=0.2)
    info = first.acquire()
    first.check()  # still ours
    force_unlock(lockfile, info.id)
    second = ApplyLock(lockfile, "apply", lease=0.2)
    taken = second.acquire()
    with pytest.raises(LockLost, match="stopped before its next remote call"):
        first.check()
    before = lock_path(lockfile).stat().st_mtime_ns
    time.sleep(0.15)  # the first holder's renewer must not touch the second's lock
    first.release()
    held = read_lock(lock_path(lockfile))
    assert held is not None and held.id == taken.id
    second.check()
    assert lock_path(lockfile).stat().st_mtime_ns >= before
    second.release()
    assert not lock_path(lockfile).exists()


def test_racing_breakers_of_a_dead_lock_leave_one_holder(tmp_path: Path) -> None:
    lockfile = tmp_path / "interform.lock"
    start = threading.Barrier(6)
    won: list[ApplyLock] = []

    def race() -> None:
        lock = ApplyLock(lockfile, "apply", notice=lambda _: None)
        start.wait()
        with contextlib.suppress(LockHeld):
            lock.acquire()
            won.append(lock)

    for _ in range(10):
        _lock_of_dead_process(lockfile)
        won.clear()
        threads = [threading.Thread(target=race) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(won) == 1
        held = read_lock(lock_path(lockfile))
        assert held is not None and won[0].info is not None and held.id == won[0].info.id
        won[0].release()


def test_force_unlock_needs_the_right_id(tmp_path: Path) -> None:
    lockfile = tmp_path / "interform.lock"
    holder = ApplyLock(lockfile, "apply")
    info = holder.acquire()
    with pytest.raises(UserError, match=f"held by lock {info.id}, not nope"):
        force_unlock(lockfile, "nope")
    assert force_unlock(lockfile, info.id).id == info.id
    assert not lock_path(lockfile).exists()
    holder.release()  # releasing a lock that was broken must not remove another's


def test_racing_acquirers_see_one_holder_named_never_a_half_written_lock(
    tmp_path: Path,
) -> None:
    lockfile = tmp_path / "interform.lock"
    start = threading.Barrier(8)
    won: list[ApplyLock] = []
    refused: list[LockHeld] = []

    def race() -> None:
        lock = ApplyLock(lockfile, "apply")
        start.wait()
        try:
            lock.acquire()
            won.append(lock)
        except LockHeld as held:
            refused.append(held)

    for _ in range(20):
        threads = [threading.Thread(target=race) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(won) == 1 and len(refused) == 7
        assert {held.info.id for held in refused} == {won[0].info.id if won[0].info else ""}
        won.pop().release()
        refused.clear()
        start.reset()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
