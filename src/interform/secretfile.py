"""Files that hold a secret (a JobMojito embed signing key, the saved-plan key): where
they may go, and how they are written.

A secret file is refused when it is one of interform's own files, and — inside a git
work tree — when git would commit it (tracked, or not ignored): a key pushed to the
repository is a key leaked. It is written atomically (a fresh private file, synced, then
renamed over the destination), mode 0600 from its first byte; a symbolic link at the
destination is replaced, never followed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from interform.paths import OwnedFiles, confined

GIT_TIMEOUT = 10.0  # seconds; git answers these from the index in milliseconds


def destination_problem(path: Path, owned: OwnedFiles | None) -> str | None:
    """Why a secret must not be written to `path` (None: it may). `path` is resolved."""
    claim = owned.claim(path) if owned is not None else None
    if claim is not None:
        return f"{path} {claim}"
    if path.is_dir():
        return f"{path} is a directory"
    return git_problem(path)


def git_problem(path: Path) -> str | None:
    """Why git would commit `path` (None: it would not, or there is no git here)."""
    directory = _existing_parent(path)
    try:
        ignored = _git(directory, "check-ignore", "-q", "--", str(path))
    except (OSError, subprocess.SubprocessError):
        return None  # no git to ask: nothing here can be committed by it either
    if ignored == 0:
        return None  # ignored, and untracked (check-ignore reports tracked files as not)
    if ignored != 1:
        return None  # 128: not inside a work tree
    tracked = _git(directory, "ls-files", "--error-unmatch", "--", str(path)) == 0
    if tracked:
        return f"{path} is tracked by git: a secret written there would be committed"
    return f"{path} is not ignored by git: a secret written there could be committed"


def _git(directory: Path, *args: str) -> int:
    done = subprocess.run(
        ["git", "-C", str(directory), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=GIT_TIMEOUT,
        check=False,
    )
    return done.returncode


def _existing_parent(path: Path) -> Path:
    for directory in path.parents:
        if directory.is_dir():
            return directory
    return Path("/")


def write_secret(path: Path, value: str) -> None:
    """Write `value` (and a newline) to `path` atomically, mode 0600 from its first byte
    (mkstemp's file, O_EXCL: a link planted at the temporary name is never followed)."""
    from interform.atomic import atomic_write

    atomic_write(path, value + "\n", mode=0o600)


def sink_problem(root: str, owned: OwnedFiles | None, sink: str) -> tuple[Path, str | None]:
    """(where the sink resolves, why a secret may not go there: None when it may)."""
    path, problem = confined(Path(os.path.realpath(root)), sink)
    return path, problem or destination_problem(path, owned)
