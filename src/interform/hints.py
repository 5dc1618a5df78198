"""Commands interform suggests, spelled the way the run that prints them was started.

A hint such as "run `interform force-unlock ID`" is copied and pasted: it must work as
printed. A run started with `-C DIR` or against the sandbox prints hints that repeat
`-C DIR` and `--sandbox`, or they would act on another directory or on the real
lockfile. The CLI records both as it parses them (`invoked_in`, `sandboxed`); a library
caller that records neither gets plain `interform ...` commands.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path


@dataclass
class _Invocation:
    chdir: str | None = None  # -C DIR as typed (joined when given twice)
    sandbox: bool = False


_run = _Invocation()


def reset() -> None:
    """Forget what an earlier run in this process recorded (the CLI starts each run so)."""
    global _run
    _run = _Invocation()


def invoked_in(directory: str) -> None:
    """The run changed to `directory` (`-C DIR`), relative to where it was before."""
    _run.chdir = directory if _run.chdir is None else os.path.join(_run.chdir, directory)


def sandboxed(flag: bool) -> None:
    """Whether the run works on the sandbox (its lockfile and emulators)."""
    _run.sandbox = flag


def in_sandbox() -> bool:
    return _run.sandbox


# a placeholder the user fills in is printed as it is, never quoted
_PLACEHOLDERS = frozenset({"ID", "REMOTE_ID", "INTERVIEW_ID", "LOCK_ID", "FILE", "ADDRESS"})


def command(*words: str, sandbox: bool = True) -> str:
    """`interform [-C DIR] WORDS... [--sandbox]` for this run, each word shell-quoted.
    `sandbox=False` for the few commands that take no --sandbox (`plan --out`'s file
    already says where it was made)."""
    parts = ["interform"]
    if _run.chdir is not None:
        parts += ["-C", shlex.quote(_run.chdir)]
    parts += [w if w in _PLACEHOLDERS else shlex.quote(w) for w in words]
    if _run.sandbox and sandbox:
        parts.append("--sandbox")
    return " ".join(parts)


def path(target: Path | str) -> str:
    """`target` (absolute, or relative to the directory the run changed to) as the user
    can type it where they started the run: `-C proj` makes `interform.lock` into
    `proj/interform.lock`."""
    text = str(target)
    if _run.chdir is None or os.path.isabs(text):
        return shlex.quote(text)
    return shlex.quote(os.path.normpath(os.path.join(_run.chdir, text)))
