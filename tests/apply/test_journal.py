"""The journal: every checkpoint survives a crash, and replaying it rebuilds the truth."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from interform.errors import UserError
from interform.lockfile.journal import (
    Journal,
    deposed_address,
    fold,
    journal_path,
    read_records,
    replay,
    with_journal,
)
from interform.lockfile.model import Entry, Lockfile, Pending


def lockfile(**entries: Entry) -> Lockfile:
    return Lockfile(lineage="L1", entries=dict(entries))


def entry(remote_id: str | None, **kw: object) -> Entry:
    base = {"interview": "team/x", "target": "m", "provider": "micro1", "kind": "interview"}
    return Entry.model_validate({**base, "remote_id": remote_id, **kw})


def intent(marker: str = "interform:p:team/x@m") -> Entry:
    pending = Pending(op="create", started_at="2026-01-01T00:00:00Z", marker=marker)
    return entry(None, pending=[pending])


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
