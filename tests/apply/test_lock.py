"""The apply lock: one holder at a time, stale locks reported, broken only on request."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from interform.errors import UserError
from interform.lockfile.lock import ApplyLock, LockHeld, force_unlock, lock_path, read_lock


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
    assert read_lock(lock_path(lockfile)) == info
    second.release()


def test_lock_of_a_dead_process_is_reported_stale(tmp_path: Path) -> None:
    lockfile = tmp_path / "interform.lock"
    code = (
        "import sys; from pathlib import Path; from interform.lockfile.lock import ApplyLock;"
        "ApplyLock(Path(sys.argv[1]), 'apply').acquire(); import os; os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(lockfile)], check=True)
    with pytest.raises(LockHeld) as err:
        ApplyLock(lockfile, "apply").acquire()
    assert err.value.stale and "is not running" in err.value.stale
    assert "interform force-unlock" in str(err.value)


def test_expired_lease_is_stale(tmp_path: Path) -> None:
    lockfile = tmp_path / "interform.lock"
    holder = ApplyLock(lockfile, "apply", lease=3600)
    info = holder.acquire()
    data = json.loads(lock_path(lockfile).read_text())
    lock_path(lockfile).write_text(json.dumps({**data, "lease_until": time.time() - 1}))
    with pytest.raises(LockHeld) as err:
        ApplyLock(lockfile, "apply").acquire()
    assert err.value.stale and "lease expired" in err.value.stale
    force_unlock(lockfile, info.id)
    holder.release()


def test_lease_is_renewed_while_held(tmp_path: Path) -> None:
    lockfile = tmp_path / "interform.lock"
    with ApplyLock(lockfile, "apply", lease=0.4) as held:
        first = read_lock(lock_path(lockfile))
        time.sleep(0.35)
        later = read_lock(lock_path(lockfile))
        assert first and later and later.lease_until > first.lease_until
        assert held.info is not None


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
