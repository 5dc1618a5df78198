"""Replacing a file whole: readers see the old text or the new, never a torn mix, and
a failed write leaves the old file and no temporary file behind. The lockfile, saved
plans, the saved-plan key, `interform fmt` and the caches all write this way."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def atomic_write(
    path: Path, text: str | Iterable[str], mode: int | None = None, *, durable: bool = True
) -> None:
    """Replace `path` with `text` whole (a temporary file beside it, renamed over it; a
    link at `path` is replaced, not followed). `text` may come in pieces, written as they
    come: a large file then never exists whole in memory. `mode`: the new file's (default: the
    replaced file's, else 0644); mkstemp makes it 0600 until then. `durable`: the data and
    the rename are synced to disk before returning (state and user files; a cache, which
    can always be rebuilt, skips the cost)."""
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path) if mode is None else mode
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            if isinstance(text, str):
                f.write(text)
            else:
                f.writelines(text)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if durable:
        _fsync_directory(directory)


def _mode_for(path: Path) -> int:
    # keep the mode of the file being replaced; mkstemp's 0600 would hide it from the team
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o644


def _fsync_directory(directory: Path) -> None:
    # makes the rename itself durable; some platforms cannot open a directory
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
