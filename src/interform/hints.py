"""Commands interform suggests, spelled the way the run that prints them was started.

A hint such as "run `interform force-unlock ID`" is copied and pasted: it must work as
printed. A run started with `-C DIR` or against the sandbox prints hints that repeat
`-C DIR` and `--sandbox`, or they would act on another directory or on the real
lockfile. The CLI records both as it parses them (`invoked_in`, `sandboxed`); a library
caller that records neither gets plain `interform ...` commands.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass


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
# the commands that take --sandbox (the others do not know the sandbox or need no flag)
_SANDBOXED = frozenset(
    {
        "plan",
        "apply",
        "destroy",
        "refresh",
        "import",
        "state",
        "output",
        "force-unlock",
        "embed-key",
    }
)


def command(*words: str) -> str:
    """`interform [-C DIR] WORDS... [--sandbox]` as this run would have to be repeated,
    each word shell-quoted (placeholders such as REMOTE_ID stay as they are)."""
    parts = ["interform"]
    if _run.chdir is not None:
        parts += ["-C", quote(_run.chdir)]
    parts += [w if w in _PLACEHOLDERS else quote(w) for w in words]
    if _run.sandbox and words and words[0] in _SANDBOXED:
        parts.append("--sandbox")
    return " ".join(parts)


# what a shell takes literally inside a word: addresses (`a/b@t#s`, `a@t~id`) need no quotes
_LITERAL = re.compile(r"[A-Za-z0-9_@%+=:,./#~-]+")


def quote(word: str) -> str:
    """`word` as one shell word, quoted only when a shell would read it otherwise."""
    if _LITERAL.fullmatch(word) and not word.startswith(("#", "~")):
        return word
    return shlex.quote(word)


def git(directory: str, *words: str) -> str:
    """`git [-C DIR] WORDS...` run in `directory` (absolute, or relative to the directory
    the run changed to), spelled for where the user started it: `git -C` works from
    anywhere, inside the repository or not."""
    if not os.path.isabs(directory) and _run.chdir is not None:
        directory = os.path.join(_run.chdir, directory)
    directory = os.path.normpath(directory)
    where = [] if directory == "." else ["-C", quote(directory)]
    return " ".join(["git", *where, *(quote(w) for w in words)])
