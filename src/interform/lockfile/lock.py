"""The apply lock: one apply (or destroy, import, state change) at a time per lockfile.

A file beside the lockfile (`interform.lock.lock`) linked into place whole (the link fails
when it exists, like O_EXCL), so exactly one process wins. It records who holds it and a
lease that a background thread renews; a lock whose process is dead (same host) or whose
lease expired is reported as stale and can be broken with `interform force-unlock
LOCK_ID`. It is never broken silently.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import math
import os
import socket
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from interform import hints, waiting
from interform.errors import UserError
from interform.untrusted import UntrustedInput, parse_json, read_regular

DEFAULT_LEASE = 120.0  # seconds; renewed every lease/4 while the holder runs
MAX_LOCK_BYTES = 64 * 1024  # a lock file is a few hundred bytes


@dataclass(frozen=True)
class LockInfo:
    id: str
    owner: str
    host: str
    pid: int
    operation: str
    started_at: str
    lease_until: float  # Unix time

    def describe(self) -> str:
        return (
            f"{self.owner} on {self.host} (pid {self.pid}, `{self.operation}` "
            f"since {self.started_at}, lock id {self.id})"
        )


def lock_path(lockfile: Path) -> Path:
    return lockfile.with_name(lockfile.name + ".lock")


def read_lock(path: Path) -> LockInfo | None:
    try:
        data = parse_json(read_regular(path, MAX_LOCK_BYTES))
        return _checked(LockInfo(**data))
    except FileNotFoundError:
        return None
    except (UntrustedInput, ValueError, TypeError) as err:
        # a half-written lock file is still a lock: report it as unreadable and stale
        why = f"unreadable: {str(err)[:200]}"
        return LockInfo("unreadable", "unknown", "unknown", 0, why, "?", 0.0)


def _checked(info: LockInfo) -> LockInfo:
    """`info` if every field has its type (the file may have been written by anyone)."""
    texts = (info.id, info.owner, info.host, info.operation, info.started_at)
    if not all(isinstance(t, str) and len(t) <= 200 for t in texts):
        raise TypeError("a lock field is not a short text")
    if not isinstance(info.pid, int) or isinstance(info.pid, bool) or not 0 <= info.pid < 2**31:
        raise TypeError("pid is not a process id")
    lease = info.lease_until
    if not isinstance(lease, (int, float)) or isinstance(lease, bool) or not math.isfinite(lease):
        raise TypeError("lease_until is not a time")
    return info


def stale_reason(info: LockInfo, now: float | None = None) -> str | None:
    """Why a lock no longer protects anything, or None while its holder may be alive."""
    now = time.time() if now is None else now
    if info.host == socket.gethostname() and info.pid and not _alive(info.pid):
        return f"process {info.pid} is not running"
    if info.lease_until < now:
        expired = datetime.fromtimestamp(info.lease_until, timezone.utc).isoformat()
        return f"its lease expired at {expired}"
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LockHeld(UserError):
    def __init__(self, path: Path, info: LockInfo, stale: str | None) -> None:
        self.info = info
        self.stale = stale
        if stale:
            message = f"{path.name} is held by a stale lock: {info.describe()}; {stale}"
            unlock = hints.command("force-unlock", info.id)
            fix = f"if no apply is running, break it with `{unlock}`"
        else:
            message = f"{path.name} is locked by {info.describe()}"
            fix = "wait for it to finish, or pass --lock-timeout to wait"
        super().__init__(message, fix=fix)


class ApplyLock:
    """Context manager holding the lock for the duration of one operation."""

    def __init__(self, lockfile: Path, operation: str, lease: float = DEFAULT_LEASE) -> None:
        self.path = lock_path(lockfile)
        self.operation = operation
        self.lease = lease
        self.info: LockInfo | None = None
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def acquire(self, timeout: float = 0.0, poll: float = 0.5) -> LockInfo:
        deadline = time.monotonic() + timeout
        announced = False
        while True:
            info = self._try_create()
            if info is not None:
                self.info = info
                self._start_renewer()
                return info
            held = read_lock(self.path)
            if held is None:
                continue  # released between our attempt and the read
            stale = stale_reason(held)
            if stale or time.monotonic() >= deadline:
                raise LockHeld(self.path, held, stale)
            if not announced:
                left = deadline - time.monotonic()
                waiting.announce(left, f"{self.path.name}, locked by {held.describe()}")
                announced = True
            time.sleep(min(poll, max(0.0, deadline - time.monotonic())))

    def release(self) -> None:
        self._stop.set()
        if self._renewer:
            self._renewer.join()
        if self.info and (current := read_lock(self.path)) and current.id == self.info.id:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        self.info = None

    def __enter__(self) -> ApplyLock:
        if self.info is None:
            self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def _try_create(self) -> LockInfo | None:
        info = LockInfo(
            id=uuid.uuid4().hex[:12],
            owner=_user(),
            host=socket.gethostname(),
            pid=os.getpid(),
            operation=self.operation,
            started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            lease_until=time.time() + self.lease,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)  # a first sandbox apply
        # Write the holder's details to a private file, then link it into place: the link
        # fails if the lock exists (like O_EXCL), and a lock never exists empty, so a
        # second apply always reads who holds it.
        tmp = self.path.with_name(f"{self.path.name}.{info.id}.new")
        with open(tmp, "w") as f:
            f.write(json.dumps(asdict(info), sort_keys=True))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, self.path)
        except FileExistsError:
            return None
        finally:
            tmp.unlink()
        return info

    def _start_renewer(self) -> None:
        self._stop.clear()
        self._renewer = threading.Thread(target=self._renew_loop, daemon=True, name="lock-lease")
        self._renewer.start()

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.lease / 4):
            info = self.info
            if info is None:
                return
            current = read_lock(self.path)
            if current is None or current.id != info.id:
                return  # force-unlocked: never write over someone else's lock
            renewed = LockInfo(**{**asdict(info), "lease_until": time.time() + self.lease})
            tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(asdict(renewed), sort_keys=True))
            os.replace(tmp, self.path)
            self.info = renewed


def force_unlock(lockfile: Path, lock_id: str) -> LockInfo:
    """Break a lock by its id (the id guards against breaking a newer lock by mistake)."""
    path = lock_path(lockfile)
    info = read_lock(path)
    if info is None:
        raise UserError(f"{path.name} is not locked", fix="nothing to unlock")
    if info.id != lock_id:
        raise UserError(
            f"{path.name} is held by lock {info.id}, not {lock_id}: {info.describe()}",
            fix=f"check who holds it; to break it run `{hints.command('force-unlock', info.id)}`",
        )
    path.unlink()
    return info


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return os.environ.get("USER", "unknown")
