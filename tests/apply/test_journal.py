"""The journal: every checkpoint survives a crash, and replaying it rebuilds the truth."""

from __future__ import annotations

import errno
import os
import threading
import time
from pathlib import Path

import pytest

from interform.errors import UserError
from interform.lockfile.journal import Journal, fold, read_records, replay, with_journal
from interform.lockfile.model import Entry, Lockfile, Pending
from interform.lockfile.storage import StorageError
from interform.lockfile.store import journal_path
from interform.model.address import deposed_address


def lockfile(**entries: Entry) -> Lockfile:
    return Lockfile(lineage="L1", entries=dict(entries))


def entry(remote_id: str | None, **kw: object) -> Entry:
    base = {"interview": "team/x", "target": "m", "provider": "micro1", "kind": "interview"}
    return Entry.model_validate({**base, "remote_id": remote_id, **kw})


def intent(marker: str = "interform:p:team/x@m") -> Entry:
    """The intent of a create at the address `marker` names."""
    pending = Pending(op="create", started_at="2026-01-01T00:00:00Z", marker=marker)
    interview = marker.rsplit(":", 1)[1].split("@")[0]
    return entry(None, interview=interview, pending=[pending])


def write(tmp_path: Path, lock: Lockfile) -> Journal:
    return Journal(journal_path(tmp_path / "interform.lock"), lock)


def test_create_intent_then_success_records_the_entry(tmp_path: Path) -> None:
    lock = lockfile()
    j = write(tmp_path, lock)
    j.intent("team/x@m", intent())
    j.created("team/x@m", entry("r1", digest="sha256:a"))
    j.close()
    replay(lock, read_records(j.path))
    assert lock.entries["team/x@m"].remote_id == "r1"
    assert lock.entries["team/x@m"].pending == []


def test_intent_without_outcome_leaves_a_pending_create(tmp_path: Path) -> None:
    lock = lockfile()
    j = write(tmp_path, lock)
    j.intent("team/x@m", intent())
    j.close()
    replay(lock, read_records(j.path))
    pending = lock.entries["team/x@m"].pending
    assert [p.op for p in pending] == ["create"]
    assert pending[0].marker == "interform:p:team/x@m"


def test_definite_failure_forgets_the_intent(tmp_path: Path) -> None:
    lock = lockfile()
    j = write(tmp_path, lock)
    j.intent("team/x@m", intent())
    j.failed("team/x@m")
    j.close()
    replay(lock, read_records(j.path))
    assert lock.entries == {}


def test_uncertain_outcome_keeps_the_pending_create_with_what_was_seen(tmp_path: Path) -> None:
    lock = lockfile()
    j = write(tmp_path, lock)
    j.intent("team/x@m", intent())
    j.uncertain("team/x@m", "timed out")
    j.close()
    replay(lock, read_records(j.path))
    assert lock.entries["team/x@m"].pending[0].detail == "timed out"


def test_replacement_keeps_the_old_object_tracked_until_removed(tmp_path: Path) -> None:
    lock = lockfile(**{"team/x@m": entry("old")})
    j = write(tmp_path, lock)
    j.intent("team/x@m", intent())
    j.created("team/x@m", entry("new"))
    j.close()
    replay(lock, read_records(j.path))
    assert lock.entries["team/x@m"].remote_id == "new"
    deposed = lock.entries[deposed_address("team/x@m", "old")]
    assert deposed.remote_id == "old" and deposed.pending == []


def test_moves_updates_and_removals_replay_in_order(tmp_path: Path) -> None:
    lock = lockfile(**{"a@m": entry("1", interview="a"), "b@m": entry("2", interview="b")})
    j = write(tmp_path, lock)
    j.moved("a@m", "c@m")
    j.updated("c@m", entry("1", interview="c", digest="sha256:new"))
    j.removed("b@m")
    j.close()
    replay(lock, read_records(j.path))
    assert set(lock.entries) == {"c@m"}
    assert lock.entries["c@m"].digest == "sha256:new"


def test_a_torn_last_line_is_dropped(tmp_path: Path) -> None:
    lock = lockfile()
    j = write(tmp_path, lock)
    j.created("team/x@m", entry("r1"))
    j.close()
    with j.path.open("ab") as f:
        f.write(b'{"t":"created","address":"team/y@m","ent')
    replay(lock, read_records(j.path))
    assert set(lock.entries) == {"team/x@m"}


def test_corruption_in_the_middle_is_an_error_not_a_silent_loss(tmp_path: Path) -> None:
    path = tmp_path / "j"
    path.write_text('{"t":"begin","lineage":"L1"}\nnot json\n{"t":"removed"}\n')
    with pytest.raises(UserError, match=r"j:2:1: journal record is not valid JSON"):
        list(read_records(path))


def test_a_journal_of_another_lockfile_is_refused(tmp_path: Path) -> None:
    j = write(tmp_path, Lockfile(lineage="OTHER"))
    j.close()
    with pytest.raises(UserError, match="belongs to lockfile lineage OTHER"):
        replay(lockfile(), read_records(j.path))


def test_read_only_view_rebuilds_a_first_lockfile_that_was_never_written(tmp_path: Path) -> None:
    j = write(tmp_path, Lockfile(lineage="L9"))
    j.created("team/x@m", entry("r1"))
    j.close()
    view, found = with_journal(None, tmp_path / "interform.lock")
    assert found and view is not None
    assert view.lineage == "L9" and view.entries["team/x@m"].remote_id == "r1"
    assert j.path.exists(), "a read-only view must not consume the journal"


@pytest.mark.parametrize("content", [b"", b'{"t":"begin","lin'])
def test_a_journal_killed_before_its_first_record_is_nothing_to_fold(
    tmp_path: Path, content: bytes
) -> None:
    # SIGKILL between creating the file and writing (all of) the begin record
    lockfile_path = tmp_path / "interform.lock"
    journal_path(lockfile_path).write_bytes(content)
    assert with_journal(None, lockfile_path) == (None, True)
    assert fold(lockfile_path)
    assert not journal_path(lockfile_path).exists() and not lockfile_path.exists()


class Syncs:
    """A stand-in for fdatasync: records how many lines of the journal each sync covered
    (optionally slow, so that concurrent writers pile up behind it)."""

    def __init__(self, path: Path, delay: float = 0.0) -> None:
        self.path = path
        self.delay = delay
        self.covered: list[int] = []

    def __call__(self, fd: int) -> None:
        time.sleep(self.delay)
        self.covered.append(self.path.read_bytes().count(b"\n"))

    def durable_lines(self) -> int:
        return max(self.covered, default=0)


def durable_journal(tmp_path: Path, delay: float = 0.0) -> tuple[Journal, Syncs]:
    path = journal_path(tmp_path / "interform.lock")
    syncs = Syncs(path, delay)
    return Journal(path, lockfile(), sync=syncs), syncs


def test_an_intent_is_durable_before_the_create_may_be_sent(tmp_path: Path) -> None:
    j, syncs = durable_journal(tmp_path)
    j.intent("team/x@m", intent())
    assert syncs.durable_lines() == 2  # begin and the intent


def test_outcomes_wait_for_the_next_sync_and_are_all_durable_once_closed(tmp_path: Path) -> None:
    j, syncs = durable_journal(tmp_path)
    j.intent("team/x@m", intent())
    j.created("team/x@m", entry("r1"))
    j.removed("team/y@m")
    assert len(syncs.covered) == 1, "an outcome must not cost a sync of its own"
    j.intent("team/z@m", intent("interform:p:team/z@m"))
    assert syncs.durable_lines() == 5, "the next intent's sync covers the outcomes before it"
    j.failed("team/z@m")
    j.close()
    assert syncs.durable_lines() == 6, "close (before the lockfile is written) syncs the rest"


def test_a_sandbox_journal_never_syncs(tmp_path: Path) -> None:
    path = journal_path(tmp_path / "interform.lock")
    syncs = Syncs(path)
    j = Journal(path, lockfile(), durable=False, sync=syncs)
    j.intent("team/x@m", intent())
    j.close()
    assert syncs.covered == []


def test_concurrent_intents_share_syncs(tmp_path: Path) -> None:
    j, syncs = durable_journal(tmp_path, delay=0.02)
    workers = 16
    start = threading.Barrier(workers)

    def one(i: int) -> None:
        start.wait()
        j.intent(f"team/x{i}@m", intent(f"interform:p:team/x{i}@m"))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    j.close()
    assert syncs.durable_lines() == workers + 1
    assert len(syncs.covered) <= workers // 2, f"group commit did not batch: {syncs.covered}"


def test_replaying_what_a_journal_method_returns_equals_folding_the_file(tmp_path: Path) -> None:
    live, folded = lockfile(**{"team/x@m": entry("old")}), lockfile(**{"team/x@m": entry("old")})
    j = write(tmp_path, live)
    given = entry("new", digest="sha256:b", urls={"invite_url": "https://x"})
    for record in (
        j.intent("team/x@m", intent()),
        j.created("team/x@m", given),
        j.uncertain("team/y@m", "timed out"),
    ):
        replay(live, [record])
    j.close()
    replay(folded, read_records(j.path))
    assert live.model_dump() == folded.model_dump()
    assert given.pending == [] and given.remote_id == "new", "the caller's entry is untouched"


# ---------------------------------------------------------------------- durable or refused


class Disk:
    """What the journal's writes and allocations meet: short writes, a disk that fills
    up (ENOSPC) once `room` more bytes are needed, and one that breaks (EIO) once
    `broken_after` more bytes were written. Space already allocated costs no room."""

    def __init__(self, room: int | None = None, short: int | None = None) -> None:
        self.room = room
        self.short = short  # at most this many bytes per write
        self.broken_after: int | None = None

    def write(self, fd: int, data: bytes, offset: int) -> int:
        data = data[: self.short] if self.short else data
        if self.broken_after is not None:
            if self.broken_after <= 0:
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            data = data[: self.broken_after]
            self.broken_after -= len(data)
        self._need(offset + len(data) - os.fstat(fd).st_size)
        return os.pwrite(fd, data, offset)

    def allocate(self, fd: int, offset: int, length: int) -> None:
        self._need(offset + length - os.fstat(fd).st_size)
        os.posix_fallocate(fd, offset, length)

    def _need(self, more: int) -> None:
        if self.room is not None and more > 0:
            if more > self.room:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self.room -= more


def on(tmp_path: Path, disk: Disk, lock: Lockfile | None = None) -> Journal:
    path = journal_path(tmp_path / "interform.lock")
    return Journal(path, lock or lockfile(), write=disk.write, allocate=disk.allocate)


def test_short_writes_still_write_whole_records(tmp_path: Path) -> None:
    j = on(tmp_path, Disk(short=7))
    j.intent("team/x@m", intent())
    j.created("team/x@m", entry("r1", urls={"invite_url": "https://x"}))
    j.close()
    folded = lockfile()
    replay(folded, read_records(j.path))
    assert folded.entries["team/x@m"].remote_id == "r1"
    assert not j.path.read_bytes().endswith(b"\0"), "the unused reserve is given back"


def fill_until_refused(j: Journal, first: int = 0) -> tuple[int, bytes]:
    """Intents until the full disk refuses one: (its number, the file just before)."""
    for n in range(first, first + 10_000):
        before = j.path.read_bytes()
        try:
            j.intent(f"team/x{n}@m", intent(f"interform:p:team/x{n}@m"))
        except StorageError:
            return n, before
    raise AssertionError("the disk never filled up")


def test_an_intent_the_disk_cannot_hold_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    disk = Disk()
    j = on(tmp_path, disk)
    disk.room = 0  # full: what is allocated is all there is
    refused, before = fill_until_refused(j)
    assert refused > 0  # the journal's own reserve took the first ones
    assert j.path.read_bytes() == before
    with pytest.raises(StorageError) as again:
        j.intent("team/y@m", intent("interform:p:team/y@m"))
    (line,) = again.value.lines()
    assert line.startswith(f"{j.path}: cannot write the journal: No space left on device — ")
    assert "free some space" in line
    disk.room = None  # space again: the journal goes on, whole
    j.created("team/x0@m", entry("r1", interview="team/x0"))
    j.close()
    folded = lockfile()
    replay(folded, read_records(j.path))
    assert len(folded.entries) == refused and folded.entries["team/x0@m"].remote_id == "r1"


def test_a_record_torn_by_a_failing_disk_is_erased_not_left_half_written(tmp_path: Path) -> None:
    """Item 4: `os.write`'s return was ignored; a torn intent was dropped as a torn last
    line, yet the create was sent."""
    disk = Disk(short=5)
    j = on(tmp_path, disk)
    j.intent("team/a@m", intent("interform:p:team/a@m"))
    size = j.path.stat().st_size
    end = len(j.path.read_bytes().rstrip(b"\0"))
    disk.broken_after = 20  # the next record gets 20 bytes in, then the disk fails
    with pytest.raises(StorageError):
        j.removed("team/b@m")
    assert j.path.read_bytes()[end:] == b"\0" * (size - end)
    disk.broken_after = None
    j.removed("team/c@m")
    assert [r["t"] for r in read_records(j.path)] == ["begin", "intent", "removed"]


def test_the_outcome_of_a_sent_create_has_its_space_before_the_create_is_sent(
    tmp_path: Path,
) -> None:
    disk = Disk()
    j = on(tmp_path, disk)
    for n in range(40):  # many creates in flight at once
        j.intent(f"team/x{n}@m", intent(f"interform:p:team/x{n}@m"))
    disk.room = 0  # now the disk is full: every outcome still fits
    big = {"invite_url": "https://interview.example/" + "x" * 900}
    for n in range(40):
        j.created(f"team/x{n}@m", entry(f"r{n}", interview=f"team/x{n}", urls=big))
    refused, _ = fill_until_refused(j, first=40)  # but creates stop once the room is gone
    j.close()
    folded = lockfile()
    replay(folded, read_records(j.path))
    assert all(folded.entries[f"team/x{n}@m"].remote_id == f"r{n}" for n in range(40))
    assert len(folded.entries) == refused


def test_a_journal_that_cannot_start_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="cannot write the journal: No space left"):
        on(tmp_path, Disk(room=0))
    assert list(tmp_path.iterdir()) == []
