"""An append-only file whose next records already have their disk space.

The journal must be able to record a create's outcome once the create is sent, disk
full or not: losing that record would leave an object nobody knows about. So the space
for it is allocated (`posix_fallocate`) before the create's intent is written, and a
failure to allocate refuses the intent — and with it the create — before anything is
sent. Records are written at explicit offsets into the allocated space; the unwritten
rest reads as NUL bytes, which readers drop (`content`).

A write that fails part-way leaves no partial record behind: its bytes are zeroed and
the next record starts at the same offset.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path

STEP = 64 * 1024  # space is allocated at least this much at a time

Writer = Callable[[int, bytes, int], int]  # os.pwrite
Allocator = Callable[[int, int, int], None]  # os.posix_fallocate


def content(data: bytes) -> bytes:
    """What a reserved file holds: without the allocated space not written yet."""
    return data.rstrip(b"\0")


def allocate_space(fd: int, offset: int, length: int) -> None:
    """`posix_fallocate`, or writing zeros where the system or file system has none
    (either way the blocks exist afterwards)."""
    fallocate = getattr(os, "posix_fallocate", None)
    if fallocate is not None:
        try:
            fallocate(fd, offset, length)
            return
        except OSError as err:
            if err.errno not in _UNSUPPORTED:
                raise
    zeros = b"\0" * min(length, STEP)
    done = 0
    while done < length:
        written = os.pwrite(fd, zeros[: length - done], offset + done)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        done += written


_UNSUPPORTED = {errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS}


class ReservedLog:
    """Not thread-safe: the journal serialises calls."""

    def __init__(
        self,
        path: Path,
        *,
        write: Writer = os.pwrite,
        allocate: Allocator = allocate_space,
    ) -> None:
        self._write = write
        self._allocate = allocate
        # never through a link: one planted here would receive the records elsewhere
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        self.fd = os.open(path, flags, 0o644)
        try:
            stat = os.fstat(self.fd)
            self.identity = (stat.st_dev, stat.st_ino)
            held = content(os.pread(self.fd, stat.st_size, 0))
            # a torn last record (a killed writer) was never acknowledged: write over it
            self.end = held.rfind(b"\n") + 1
            self.allocated = stat.st_size
        except BaseException:
            os.close(self.fd)
            raise

    def append(self, data: bytes, keep_free: int = 0) -> None:
        """Write `data` at the end, first making sure that `keep_free` more bytes stay
        allocated after it. Raises OSError with nothing written when either fails."""
        need = self.end + len(data) + keep_free
        if need > self.allocated:
            size = max(need, self.allocated + STEP)
            self._allocate(self.fd, self.allocated, size - self.allocated)
            self.allocated = size
        done = 0
        try:
            while done < len(data):
                written = self._write(self.fd, data[done:], self.end + done)
                if written <= 0:  # a write that makes no progress would never end
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                done += written
        except OSError:
            if done:
                with contextlib.suppress(OSError):  # best effort: leave no partial record
                    os.pwrite(self.fd, b"\0" * done, self.end)
            raise
        self.end += len(data)

    def close(self) -> None:
        """Give back the space allocated but not written, and close."""
        if self.fd < 0:
            return
        with contextlib.suppress(OSError):  # the NULs would be dropped by any reader
            os.ftruncate(self.fd, self.end)
        os.close(self.fd)
        self.fd = -1
