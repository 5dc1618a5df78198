"""The apply lock: one apply (or destroy, import, state change) at a time per lockfile.

A file beside the lockfile (`interform.lock.lock`) linked into place whole (the link fails
when it exists, like O_EXCL), so exactly one process wins and a second one always reads
who holds it. The holder keeps the file open and renews its lease by touching it (the
lease runs from the file's modification time), so a renewal never rewrites a file that
may by then be someone else's.

- The holder checks before every remote call that the lock file is still the one it
  created (`ApplyLock.check`), and stops once it is not: after `force-unlock --force`,
  another apply may be running.
- A holder proven dead on this machine (same boot and process namespace: its process is
  gone, or its pid now belongs to a process that started later) is broken
  automatically, with a line saying so.
- A holder that cannot be checked (another host) whose lease expired is reported as
  stale, with the `force-unlock` command; a live one is only ever broken with `--force`.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import math
import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from interform import hints, waiting
from interform.errors import UserError
from interform.lockfile import holder
from interform.lockfile.storage import StorageError
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
    lease_until: float  # Unix time (from the file's modification time once renewed)
    lease: float = 0.0  # seconds a renewal extends it by (0: a lock of an older interform)
    machine: str = ""  # boot and process namespace of the holder (`holder.machine()`)
    pid_start: int = 0  # the holder process's start time, in clock ticks since boot

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
        renewed = path.stat().st_mtime
        info = _checked(LockInfo(**data))
    except FileNotFoundError:
        return None
    except (UntrustedInput, ValueError, TypeError) as err:
        # a damaged lock file is still a lock: report it as unreadable and stale
        why = f"unreadable: {str(err)[:200]}"
        return LockInfo("unreadable", "unknown", "unknown", 0, why, "?", 0.0)
    if info.lease > 0:  # renewed by touching the file: the lease runs from its mtime
        info = replace(info, lease_until=max(info.lease_until, renewed + info.lease))
    return info


def _checked(info: LockInfo) -> LockInfo:
    """`info` if every field has its type (the file may have been written by anyone)."""
    texts = (info.id, info.owner, info.host, info.operation, info.started_at, info.machine)
    if not all(isinstance(t, str) and len(t) <= 200 for t in texts):
        raise TypeError("a lock field is not a short text")
    for name, value in (("pid", info.pid), ("pid_start", info.pid_start)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
            raise TypeError(f"{name} is not a process number")
    for name, number in (("lease_until", info.lease_until), ("lease", info.lease)):
        if not isinstance(number, (int, float)) or isinstance(number, bool):
            raise TypeError(f"{name} is not a number")
        if not math.isfinite(number):
            raise TypeError(f"{name} is not a number")
    return info


def dead_reason(info: LockInfo) -> str | None:
    """Why the holder is certainly not running, when that can be proven from here."""
    if not info.pid or info.host != socket.gethostname():
        return None
    if info.machine and info.machine != holder.machine():
        return None  # another boot or process namespace: its pids mean nothing here
    if not holder.alive(info.pid):
        return f"process {info.pid} is not running"
    started = holder.start_ticks(info.pid)
    if info.pid_start and started is not None and started != info.pid_start:
        return f"process {info.pid} is another process than the one that took the lock"
    if not info.pid_start and holder.started_after(info.pid, info.started_at):
        return f"process {info.pid} started after the lock was taken: it is another process"
    return None


def stale_reason(info: LockInfo, now: float | None = None) -> str | None:
    """Why a lock no longer protects anything, or None while its holder may be alive.
    A holder running on this machine is alive, however late its lease renewal."""
    dead = dead_reason(info)
    if dead:
        return dead
    if _checkable(info):
        return None
    now = time.time() if now is None else now
    if info.lease_until < now:
        expired = datetime.fromtimestamp(info.lease_until, timezone.utc).isoformat()
        return f"its lease expired at {expired}"
    return None


def _checkable(info: LockInfo) -> bool:
    """Whether this process can see the holder's process (same host and namespace)."""
    if not info.pid or info.host != socket.gethostname():
        return False
    return not info.machine or info.machine == holder.machine()


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


class LockLost(UserError):
    """The lock file is no longer the one this process created (force-unlock --force)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"the apply lock ({path.name}) was broken while this command ran "
            "(`interform force-unlock --force`): it stopped before its next remote call "
            "and did not write the lockfile",
            fix="what it did is in the journal, which the next command folds; run "
            f"`{hints.command('plan')}` once no other apply is running",
        )


Notice = Callable[[str], None]


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class ApplyLock:
    """Context manager holding the lock for the duration of one operation."""

    def __init__(
        self,
        lockfile: Path,
        operation: str,
        lease: float = DEFAULT_LEASE,
        notice: Notice = _stderr,
    ) -> None:
        self.path = lock_path(lockfile)
        self.operation = operation
        self.lease = lease
        self.notice = notice
        self.info: LockInfo | None = None
        self.lost = threading.Event()  # set once the lock file is not ours any more
        self._fd = -1
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
            dead = dead_reason(held)
            if dead and _break(self.path, held.id, lambda now: dead_reason(now) is not None):
                self.notice(f"Broke the apply lock of {held.describe()}: {dead}.")
                continue
            stale = stale_reason(held)
            if stale or time.monotonic() >= deadline:
                raise LockHeld(self.path, held, stale)
            if not announced:
                left = deadline - time.monotonic()
                waiting.announce(left, f"{self.path.name}, locked by {held.describe()}")
                announced = True
            time.sleep(min(poll, max(0.0, deadline - time.monotonic())))

    def owned(self) -> bool:
        """Whether the lock file is still the one this process created."""
        if self._fd < 0 or self.lost.is_set():
            return False
        try:
            mine, there = os.fstat(self._fd), os.stat(self.path)
            same = (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)
        except OSError:
            same = False
        if not same:
            self.lost.set()
        return same

    def check(self) -> None:
        """Raise LockLost unless the lock is still ours (call before a remote call)."""
        if not self.owned():
            raise LockLost(self.path)

    def release(self) -> None:
        self._stop.set()
        if self._renewer:
            self._renewer.join()
        if self.info is not None and self.owned():
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
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
            lease=self.lease,
            machine=holder.machine(),
            pid_start=holder.start_ticks(os.getpid()) or 0,
        )
        try:
            fd = self._link(info)
        except OSError as err:
            raise StorageError(
                self.path, "take the apply lock", err, "nothing was changed"
            ) from err
        if fd is None:
            return None
        self._fd = fd
        self.lost.clear()
        return info

    def _link(self, info: LockInfo) -> int | None:
        """Write the holder's details to a private file, then link it into place: the
        link fails if the lock exists (like O_EXCL), and a lock never exists empty, so a
        second apply always reads who holds it. The file stays open (its descriptor is
        returned): it is how this process renews the lease and recognises its lock."""
        self.path.parent.mkdir(parents=True, exist_ok=True)  # a first sandbox apply
        tmp = self.path.with_name(f"{self.path.name}.{info.id}.new")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            _write_all(fd, json.dumps(asdict(info), sort_keys=True).encode())
            os.fsync(fd)
            os.link(tmp, self.path)
        except FileExistsError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return fd

    def _start_renewer(self) -> None:
        self._stop.clear()
        self._renewer = threading.Thread(target=self._renew_loop, daemon=True, name="lock-lease")
        self._renewer.start()

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.lease / 4):
            if not self.owned():
                return  # broken: never touch what may now be someone else's lock
            with contextlib.suppress(OSError):  # a failed renewal only shortens the lease
                os.utime(self._fd)


def force_unlock(lockfile: Path, lock_id: str) -> LockInfo:
    """Break a lock by its id (the id guards against breaking a newer lock by mistake)."""
    path = lock_path(lockfile)
    info = read_lock(path)
    if info is None:
        raise UserError(f"{path.name} is not locked", fix="nothing to unlock")
    if info.id != lock_id or not _break(path, lock_id, lambda _: True, best_effort=True):
        current = read_lock(path)
        if current is None:
            raise UserError(f"{path.name} is not locked", fix="nothing to unlock")
        raise UserError(
            f"{path.name} is held by lock {current.id}, not {lock_id}: {current.describe()}",
            fix="check who holds it; to break it run "
            f"`{hints.command('force-unlock', current.id)}`",
        )
    return info


def _break(
    path: Path, lock_id: str, still: Callable[[LockInfo], bool], *, best_effort: bool = False
) -> bool:
    """Remove the lock `lock_id` if it is still there and `still(it)` holds, judged and
    removed under a lock on the directory: two processes breaking the same dead lock
    must not have the second remove the lock the first then took. Without a directory
    lock to take, only a person's explicit request (`best_effort`) goes ahead."""
    with _directory_lock(path.parent) as locked:
        if not locked and not best_effort:
            return False
        current = read_lock(path)
        if current is None or current.id != lock_id or not still(current):
            return False
        path.unlink()
        return True


@contextlib.contextmanager
def _directory_lock(directory: Path) -> Iterator[bool]:
    """An exclusive advisory lock on the directory (False where there is none to take:
    then nothing is broken automatically)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield False
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return os.environ.get("USER", "unknown")
