"""A disk that is full, read-only or otherwise refusing writes, as a one-line user error.

Every file interform's promises rest on — the apply lock, the journal, the lockfile —
is written so that such a failure leaves nothing half-done: the write is refused before
the request it guards is sent, temporary files are removed, and what was already
recorded stays where the next command finds it. This is the message that says so.
"""

from __future__ import annotations

import errno
from pathlib import Path

from interform.errors import UserError

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS}
_DENIED = {errno.EACCES, errno.EPERM}


class StorageError(UserError):
    """A file interform must write could not be written (exit 1)."""

    def __init__(self, path: Path, doing: str, err: OSError, kept: str) -> None:
        self.path = path
        self.errno = err.errno
        # set when the request it should have recorded had already been sent: what it did
        self.after_send: str | None = None
        reason = err.strerror or str(err)
        super().__init__(f"{path}: cannot {doing}: {reason}", fix=_fix(err.errno, kept))


def _fix(code: int | None, kept: str) -> str:
    if code in _FULL:
        first = "free some space on that disk (or raise the quota), then run it again"
    elif code in _READ_ONLY:
        first = "the file system is read-only: run interform where the project can be written"
    elif code in _DENIED:
        first = "check that you may write to that directory, then run it again"
    else:
        first = "check that disk, then run it again"
    return f"{first}; {kept}" if kept else first
