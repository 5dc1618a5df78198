"""Checkpoints of a running apply: each one appended (durably) to the journal and
replayed onto an in-memory copy of the lockfile, so the copy written at the end equals
what folding the journal would give after a crash at the same point."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from interform.lockfile.journal import Journal, Record, replay
from interform.lockfile.model import Entry, Lockfile
from interform.lockfile.store import journal_path


class Recorder:
    def __init__(self, lockfile: Path, lock: Lockfile, *, durable: bool = True) -> None:
        self.lockfile = lockfile
        self.lock = lock
        self._journal = Journal(journal_path(lockfile), lock, durable=durable)
        self._mutex = threading.Lock()

    def entry(self, address: str) -> Entry | None:
        with self._mutex:
            return self.lock.entries.get(address)

    def intent(self, address: str, entry: Entry) -> None:
        self._keep(self._journal.intent(address, entry))

    def created(self, address: str, entry: Entry) -> None:
        self._keep(self._journal.created(address, entry))

    def updated(self, address: str, entry: Entry) -> None:
        self._keep(self._journal.updated(address, entry))

    def removed(self, address: str) -> None:
        self._keep(self._journal.removed(address))

    def moved(self, old: str, new: str) -> None:
        self._keep(self._journal.moved(old, new))

    def failed(self, address: str) -> None:
        self._keep(self._journal.failed(address))

    def uncertain(self, address: str, detail: str) -> None:
        self._keep(self._journal.uncertain(address, detail))

    def finish(self, guard: Callable[[], None] = lambda: None) -> Lockfile:
        """Write the lockfile (atomically) and drop the journal it now contains. `guard`
        raises when this apply no longer holds the lock: then nothing is written."""
        from interform.lockfile.store import write_lockfile

        self._journal.close()
        guard()
        with self._mutex:
            written = write_lockfile(self.lockfile, self.lock)
        self._journal.remove()
        return written

    def abandon(self) -> None:
        """Leave the journal for the next run to fold (a second interrupt)."""
        self._journal.close()

    def _keep(self, record: Record) -> None:
        with self._mutex:
            replay(self.lock, [record])
