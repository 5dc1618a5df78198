"""Persistence of emulated accounts: one append-only JSON-lines log per (platform, account).

    <state>/<platform>/<account>.jsonl    {"interform-sandbox":1,"platform":..,"account":..}
                                          {"put":"<kind>","id":"<id>","obj":{...}}
                                          {"del":"<kind>","id":"<id>"}

A write is one `os.write` of one line (no fsync: this is a sandbox, and the OS keeps the
data when the process dies); replaying the lines in order rebuilds the account. When the
log holds several times more lines than live objects it is compacted (rewritten and
atomically renamed). Several processes may share a state directory (a server and an
in-process apply, or `sandbox reset` while a server runs): writers hold an advisory
lock on `<account>.lock`, and every request first catches up with lines other processes
appended, or reloads when the file was replaced or removed. A torn last line (a process
killed mid-write) is ignored and cut off by the next writer.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from interform.sandbox.accounts import LOCK_SUFFIX, LOG_SUFFIX, account_of, log_path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: one process per state directory
    fcntl = None  # type: ignore[assignment]

FORMAT = 1
Obj = dict[str, Any]
COMPACT_MIN_LINES = 2000


def _line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class Account:
    """The objects of one emulated account, kept in memory and mirrored in its log.

    Use `reading()` around reads and `writing()` around anything that calls `put` or
    `delete`; both are reentrant and thread-safe.
    """

    def __init__(
        self, path: Path, platform: str, account: str, compact_after: int = COMPACT_MIN_LINES
    ) -> None:
        self.path = path
        self.compact_after = compact_after
        self.platform = platform
        self.name = account
        self._objects: dict[str, dict[str, Obj]] = {}
        self._lock = threading.RLock()
        self._fd: int | None = None
        self._lock_fd: int | None = None
        self._ino: int | None = None
        self._offset = 0  # bytes of the log already applied
        self._lines = 0  # lines in the log, for deciding when to compact
        self._writing = 0

    # ------------------------------------------------------------------ access

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self._lock:
            self._catch_up(repair=False)
            yield

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self._lock:
            if self._writing:
                yield
                return
            with self._file_lock():
                self._writing += 1
                try:
                    self._catch_up(repair=True)
                    yield
                    self._maybe_compact()
                finally:
                    self._writing -= 1

    def get(self, kind: str, oid: str) -> Obj | None:
        return self._objects.get(kind, {}).get(oid)

    def all(self, kind: str) -> list[Obj]:
        """Objects of `kind` in creation order."""
        return list(self._objects.get(kind, {}).values())

    def items(self, kind: str) -> list[tuple[str, Obj]]:
        return list(self._objects.get(kind, {}).items())

    def kinds(self) -> list[str]:
        return sorted(k for k, objs in self._objects.items() if objs)

    def put(self, kind: str, oid: str, obj: Obj) -> None:
        assert self._writing, "put() outside writing()"
        self._append({"put": kind, "id": oid, "obj": obj})
        self._objects.setdefault(kind, {})[oid] = obj

    def delete(self, kind: str, oid: str) -> None:
        assert self._writing, "delete() outside writing()"
        self._append({"del": kind, "id": oid})
        self._objects.get(kind, {}).pop(oid, None)

    def erase(self) -> None:
        """Remove the account's log: the account starts empty, here and in every process."""
        with self.writing():
            self.path.unlink(missing_ok=True)
            self._forget()

    def close(self) -> None:
        with self._lock:
            for fd in (self._fd, self._lock_fd):
                if fd is not None:
                    os.close(fd)
            self._fd = self._lock_fd = None

    # ------------------------------------------------------------------ log

    def _apply(self, record: dict[str, Any]) -> None:
        if "put" in record:
            self._objects.setdefault(record["put"], {})[record["id"]] = record["obj"]
        elif "del" in record:
            self._objects.get(record["del"], {}).pop(record["id"], None)

    def _forget(self) -> None:
        self._objects = {}
        self._offset = self._lines = 0
        self._ino = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _catch_up(self, repair: bool) -> None:
        """Apply what other processes appended; reload if the log was replaced or removed."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            if self._ino is not None or self._objects:
                self._forget()
            return
        if st.st_ino != self._ino or st.st_size < self._offset:
            self._forget()
            self._ino = st.st_ino
        if st.st_size == self._offset:
            return
        with open(self.path, "rb") as f:
            f.seek(self._offset)
            data = f.read()
        end = data.rfind(b"\n") + 1
        for raw in data[:end].splitlines():
            self._lines += 1
            try:
                self._apply(json.loads(raw))
            except (ValueError, KeyError, TypeError):
                continue  # a damaged line loses one change, not the account
        self._offset += end
        if repair and end < len(data):
            os.truncate(self.path, self._offset)  # torn tail of a killed writer

    def _append(self, record: dict[str, Any]) -> None:
        data = _line(record)
        fd = self._fd if self._fd is not None else self._open()
        os.write(fd, data)
        self._lines += 1
        # we hold the file lock, so nobody else appended: skip re-reading our own line
        size = os.fstat(fd).st_size
        if size == self._offset + len(data):
            self._offset = size

    def _open(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        st = os.fstat(fd)
        self._fd, self._ino = fd, st.st_ino
        if st.st_size == 0:
            header = _line(
                {"interform-sandbox": FORMAT, "platform": self.platform, "account": self.name}
            )
            os.write(fd, header)
            self._offset, self._lines = len(header), 1
        return fd

    def _maybe_compact(self) -> None:
        live = sum(len(objs) for objs in self._objects.values())
        if self._lines < self.compact_after or self._lines < 4 * (live + 1):
            return
        self.compact()

    def compact(self) -> None:
        """Rewrite the log as one line per live object (atomic rename)."""
        with self.writing():
            tmp = self.path.with_name(self.path.name + ".tmp")
            lines = [
                _line(
                    {"interform-sandbox": FORMAT, "platform": self.platform, "account": self.name}
                )
            ]
            for kind, objs in self._objects.items():
                lines += [_line({"put": kind, "id": oid, "obj": obj}) for oid, obj in objs.items()]
            with open(tmp, "wb") as f:
                f.writelines(lines)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            self._open()
            self._offset = os.stat(self.path).st_size
            self._lines = len(lines)

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        if fcntl is None:
            yield
            return
        if self._lock_fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = self.path.with_name(self.path.name[: -len(LOG_SUFFIX)] + LOCK_SUFFIX)
            self._lock_fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)


class PlatformStore:
    """The accounts of one platform under `<state>/<platform>/`, opened on first use."""

    def __init__(self, directory: Path, platform: str) -> None:
        self.directory = directory
        self.platform = platform
        self._accounts: dict[str, Account] = {}
        self._lock = threading.Lock()

    def account(self, name: str) -> Account:
        with self._lock:
            found = self._accounts.get(name)
            if found is None:
                found = Account(log_path(self.directory, name), self.platform, name)
                self._accounts[name] = found
            return found

    def names(self) -> list[str]:
        """Accounts with state on disk (including ones other processes created)."""
        if not self.directory.is_dir():
            return []
        return sorted(account_of(p) for p in self.directory.glob("*.jsonl"))

    def close(self) -> None:
        with self._lock:
            for account in self._accounts.values():
                account.close()
