"""Paths that settings name, kept inside the project, and the files interform owns.

Every path read from YAML or state (`lockfile:`, `interviews:`,
`jobmojito.embed.signing_key_file`) is relative to the project root and must stay inside
it once `..` and symbolic links are resolved. None may name a file interform itself
owns: interform.yaml, the lockfile with its journal, lock and temporary files, the
definitions directory, and the state directory `.interform/` (caches, the sandbox, the
saved-plan key). A setting that breaks either rule is a positioned user error, found
before anything is read or written.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from interform.errors import shown
from interform.project_root import PROJECT_FILE

STATE_DIR: Final = ".interform"
_LOCKFILE_SIBLINGS: Final = (".journal", ".lock")


def relative_problem(value: str) -> str | None:
    """What keeps `value` from being a path inside the project, judged on its text alone
    (no file system): absolute, climbing out with `..`, empty, or holding a NUL."""
    if not value or "\0" in value:
        return "is not a file path"
    if value.startswith(("/", "\\")) or (len(value) > 1 and value[1] == ":"):
        return f"{shown(value)} is absolute: paths are relative to the project root"
    normal = posixpath.normpath(value.replace("\\", "/"))
    if normal == ".." or normal.startswith("../"):
        return f"{shown(value)} leaves the project directory"
    return None


def confined(root: Path, value: str) -> tuple[Path, str | None]:
    """(`value` resolved under `root`, None) or (that path, what is wrong with it).

    Symbolic links are followed: a link inside the project pointing out of it is as bad
    as `../`. `root` must be resolved already."""
    problem = relative_problem(value)
    resolved = Path(os.path.realpath(root / value)) if problem is None else root
    if problem is None and not is_within(resolved, root):
        problem = f"{shown(value)} resolves outside the project (to {resolved})"
    return resolved, problem


def is_within(path: Path, directory: Path) -> bool:
    """`path` is `directory` or below it (both resolved)."""
    return path == directory or directory in path.parents


@dataclass(frozen=True)
class OwnedFiles:
    """The files and directories interform owns in one project (all resolved)."""

    root: Path
    lockfile: Path
    interviews: Path

    @classmethod
    def of(cls, root: Path, lockfile: str, interviews: str) -> OwnedFiles:
        root = Path(os.path.realpath(root))
        return cls(root, confined(root, lockfile)[0], confined(root, interviews)[0])

    def claim(self, path: Path, *, state_dir: bool = True) -> str | None:
        """What interform uses `path` for (None: nothing). `path` must be resolved.
        `state_dir=False` leaves `.interform/` free (a saved plan may go there)."""
        lock = self.lockfile
        if path == self.root / PROJECT_FILE:
            return f"is {PROJECT_FILE}"
        if path == lock:
            return "is the lockfile"
        if path.parent == lock.parent and (
            path.name in [lock.name + s for s in _LOCKFILE_SIBLINGS]
            or path.name.startswith(f".{lock.name}.")
        ):
            return "is the lockfile's journal, lock or temporary file"
        if is_within(path, self.interviews):
            return "is in the definitions directory"
        if state_dir and is_within(path, self.root / STATE_DIR):
            return f"is in interform's state directory {STATE_DIR}/"
        if is_within(self.interviews, path) or is_within(lock, path):
            return "holds files interform owns"
        return None


def lexical_claim(value: str, lockfile: str, interviews: str) -> str | None:
    """`OwnedFiles.claim` judged on the text of the paths alone (no file system), for
    checks that must not depend on the disk, such as a definition's rules."""
    fake_root = Path("/project")
    owned = OwnedFiles(fake_root, _lexical(fake_root, lockfile), _lexical(fake_root, interviews))
    return owned.claim(_lexical(fake_root, value))


def _lexical(root: Path, value: str) -> Path:
    return Path(posixpath.normpath(posixpath.join(str(root), value.replace("\\", "/"))))


def definitions_dir(root: Path, interviews: str) -> tuple[Path, str | None]:
    """(`interviews:` resolved, what is wrong with it: None when nothing)."""
    definitions, problem = confined(root, interviews)
    if problem is None and definitions == root:
        problem = f"{shown(interviews)} is the project directory itself, which holds {PROJECT_FILE}"
    elif problem is None and is_within(definitions, root / STATE_DIR):
        problem = f"{shown(interviews)} is in interform's state directory {STATE_DIR}/"
    return definitions, problem


def settings_problems(root: Path, lockfile: str, interviews: str) -> dict[str, str]:
    """What is wrong with interform.yaml's own paths, by setting name (empty: nothing).
    `root` must be resolved."""
    found: dict[str, str] = {}
    definitions, problem = definitions_dir(root, interviews)
    if problem is not None:
        found["interviews"] = problem
        definitions = root / STATE_DIR / "-"  # judge the lockfile on its own
    lock, problem = confined(root, lockfile)
    if problem is None:
        owned = OwnedFiles(root, root / STATE_DIR / "-", definitions)  # the lockfile itself aside
        claim = owned.claim(lock)
        problem = f"{shown(lockfile)} {claim}" if claim else None
    if problem is not None:
        found["lockfile"] = problem
    return found
