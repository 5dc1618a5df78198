"""Where a command's lockfile is (the sandbox one with --sandbox), a read-only view of it
and the one way to change it.

The commands that only touch the lockfile load interform.yaml and nothing else, so a
broken definition never stands between a user and `state rm` or `force-unlock`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from interform.errors import UserError

if TYPE_CHECKING:
    from interform.lockfile.lock import LockInfo
    from interform.lockfile.model import Lockfile
    from interform.model.project import Project
    from interform.workspace import Workspace


@dataclass(frozen=True)
class StateFile:
    root: Path
    project: Project
    path: Path  # the lockfile
    sandbox: bool

    @classmethod
    def of(cls, ws: Workspace) -> StateFile:
        return cls(ws.root, ws.project, ws.lockfile_path, ws.sandbox)

    @property
    def name(self) -> str:
        """The lockfile as users know it: relative to the project root."""
        try:
            return self.path.relative_to(self.root).as_posix()
        except ValueError:
            return str(self.path)

    def view(self) -> Lockfile | None:
        """The lockfile as it stands, with a leftover journal folded in (nothing written)."""
        from interform.workspace import read_state

        return read_state(self.path)[0]

    @contextmanager
    def mutate(
        self, operation: str, lock_timeout: float = 0.0, *, shared_ok: bool = False
    ) -> Iterator[Lockfile]:
        """The lockfile to change in place, under the apply lock. Written atomically when
        the block ends without an error and changed something; never otherwise.
        `shared_ok` reads a lockfile tracking one object at two addresses (`state rm`
        is how that is repaired)."""
        from interform.lockfile.journal import fold
        from interform.lockfile.lock import ApplyLock
        from interform.lockfile.store import (
            dumps_lockfile,
            new_lockfile,
            read_lockfile,
            write_lockfile,
        )

        lock = ApplyLock(self.path, operation)
        lock.acquire(timeout=lock_timeout)
        try:
            fold(self.path, shared_ok=shared_ok)
            state = read_lockfile(self.path, shared_ok=shared_ok) or new_lockfile()
            before = dumps_lockfile(state)
            yield state
            if dumps_lockfile(state) != before:
                lock.check()  # broken meanwhile: another command may own the lockfile
                write_lockfile(self.path, state)
        finally:
            lock.release()


def open_state(sandbox: bool, start: Path | None = None) -> StateFile:
    from interform.config import load_project
    from interform.project_root import find_root
    from interform.workspace import SANDBOX_LOCKFILE

    root = find_root(start)
    project = load_project(root)
    path = root / (SANDBOX_LOCKFILE if sandbox else Path(project.lockfile))
    return StateFile(root, project, path, sandbox)


def break_lock(state: StateFile, lock_id: str, force: bool) -> LockInfo:
    """Break the lock `lock_id` when it is stale; a live one only with `force`."""
    from interform.lockfile.lock import force_unlock, lock_path, read_lock, stale_reason

    held = read_lock(lock_path(state.path))
    if held is not None and held.id == lock_id and not force and stale_reason(held) is None:
        raise UserError(
            f"lock {lock_id} is held by {held.describe()}, which still looks alive "
            "(its process runs on this machine, or its lease has not expired); breaking it "
            "lets another apply run beside it, and two applies at once can create the same "
            "objects twice and overwrite each other's lockfile",
            fix="wait for it to finish or stop it; if you are sure it is gone, add --force "
            "(a holder that is still running then stops before its next remote call)",
        )
    return force_unlock(state.path, lock_id)
