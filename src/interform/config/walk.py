"""Finding definition files: every YAML file under the definitions directory is read or
refused with a reason, never skipped in silence (a skipped definition would be planned
for removal).

- Symbolic links are followed while they stay inside the project; a link out of it, a
  broken link, or a link to a directory already read (a loop, or the same definitions
  twice under two addresses) is refused.
- Hidden files and directories (a leading dot) are not read: one holding YAML files is
  refused, so that `.drafts/` cannot quietly delete what it holds. Editor lock files
  (`.#name`) are no definitions and are passed over.
"""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import Final

from interform.errors import Problem
from interform.paths import is_within

EXTENSIONS: Final = (".yaml", ".yml")
_EDITOR_LOCK: Final = ".#"
_MOVE_OUT: Final = "rename it without the leading dot, or move it out of the definitions directory"


def yaml_files(directory: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """YAML files below `directory` (sorted), and a problem for each one refused."""
    walker = _Walker(Path(os.path.realpath(root)))
    walker.run(directory)
    return sorted(walker.files, key=str), walker.problems


class _Walker:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[Path] = []
        self.problems: list[Problem] = []
        self.seen: dict[str, str] = {}  # real directory -> the path it was read as
        self.links: deque[os.DirEntry[str]] = deque()  # directory links, followed last

    def run(self, directory: Path) -> None:
        """Real directories first, then the links to directories (so that a link, not the
        directory it names, is what is refused when both lead to the same place)."""
        self._walk(str(directory), os.path.realpath(directory))
        while self.links:
            link = self.links.popleft()
            target = os.path.realpath(link.path)
            if target in self.seen:
                already = self.seen[target]
                self._refuse(
                    link.path,
                    f"links to {already}, which is read already",
                    "remove the link: each definition is read once, under one address",
                )
            else:
                self._walk(link.path, target)

    def _walk(self, directory: str, real: str) -> None:
        self.seen[real] = self._rel(directory)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as err:
            self._refuse(directory, f"cannot read this directory: {err.strerror}")
            return
        for entry in entries:
            if entry.name.startswith(_EDITOR_LOCK):
                continue
            if entry.name.startswith("."):
                self._hidden(entry)
            elif entry.is_symlink():
                self._link(entry)
            elif entry.is_dir(follow_symlinks=False):
                self._walk(entry.path, os.path.join(real, entry.name))
            elif entry.name.endswith(EXTENSIONS):
                self.files.append(Path(entry.path))

    def _link(self, entry: os.DirEntry[str]) -> None:
        target = Path(os.path.realpath(entry.path))
        is_yaml = entry.name.endswith(EXTENSIONS)
        if not target.exists():
            if is_yaml:
                self._refuse(entry.path, "is a broken symbolic link")
            return
        is_dir = target.is_dir()
        if not (is_dir or is_yaml):
            return  # not a definition, wherever it points
        if not is_within(target, self.root):
            self._refuse(entry.path, f"is a symbolic link out of the project (to {target})")
        elif is_dir:
            self.links.append(entry)
        else:
            self.files.append(Path(entry.path))

    def _hidden(self, entry: os.DirEntry[str]) -> None:
        if entry.name.endswith(EXTENSIONS):
            self._refuse(entry.path, "is a hidden file: interform reads no hidden file", _MOVE_OUT)
        elif entry.is_dir(follow_symlinks=False):
            held = _first_yaml(entry.path)
            if held is not None:
                self._refuse(
                    entry.path,
                    f"is a hidden directory holding definitions ({self._rel(held)}): interform "
                    "reads no hidden directory",
                    _MOVE_OUT,
                )

    def _refuse(self, path: str, message: str, fix: str = "") -> None:
        fix = fix or "point it at a definition inside the project, or remove it"
        self.problems.append(Problem(self._rel(path), 0, 0, message, fix))

    def _rel(self, path: str) -> str:
        prefix = str(self.root) + os.sep
        text = os.path.abspath(path)
        return (text[len(prefix) :] if text.startswith(prefix) else text).replace(os.sep, "/")


def _first_yaml(directory: str) -> str | None:
    for current, _, names in os.walk(directory):
        for name in sorted(names):
            if name.endswith(EXTENSIONS):
                return os.path.join(current, name)
    return None
