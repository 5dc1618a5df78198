"""The git clone a project lives in: the lockfile's merge driver and its attributes.

git merges `interform.lock` with `interform lockfile merge` when two things hold: the
attribute `merge=interform` on the lockfile's path (committed in `.gitattributes`, so
every clone has it) and the driver's command in the clone's own git config (never
committed: git does not run commands a repository brings along). `interform init` writes
both; `interform lockfile setup-git` writes the second in any other clone.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Final

from interform.errors import UserError

DRIVER: Final = "interform"
ATTRIBUTE: Final = f"merge={DRIVER}"
ATTRIBUTES_COMMENT: Final = (
    "# interform: git merges the lockfile object by object "
    "(`interform lockfile setup-git` once per clone)"
)


def git(args: list[str], cwd: Path, *, check: bool = True) -> str | None:
    """git's stdout; None when git is not installed or (check=False) the command failed."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            encoding="utf-8",
            check=False,
            timeout=60,
        )
    except FileNotFoundError:
        return None
    if done.returncode != 0:
        if check:
            raise UserError(
                f"`git {' '.join(args)}` failed: {done.stderr.strip() or done.returncode}",
                fix="check the git clone (`git status`)",
            )
        return None
    return done.stdout


def work_tree(start: Path) -> Path | None:
    """The top of the git work tree holding `start`; None outside one (or without git)."""
    top = git(["rev-parse", "--show-toplevel"], start, check=False)
    return Path(top.strip()) if top else None


def driver_command() -> str:
    """The command git runs to merge a lockfile. This very interpreter runs interform, so
    the driver works whether or not a virtual environment is active when git runs it."""
    python = shlex.quote(sys.executable)
    return f'{python} -m interform lockfile merge %O %A %B --path "%P"'


def configure_driver(top: Path) -> bool:
    """Define the merge driver in the clone's config; False when it already was."""
    wanted = {
        f"merge.{DRIVER}.name": "interform lockfile (merges entries by remote object)",
        f"merge.{DRIVER}.driver": driver_command(),
    }
    changed = False
    for key, value in wanted.items():
        if (git(["config", "--local", "--get", key], top, check=False) or "").strip() != value:
            git(["config", "--local", key, value], top)
            changed = True
    return changed


def attribute_pattern(lockfile: Path, directory: Path) -> str:
    """The `.gitattributes` pattern in `directory` that matches exactly `lockfile`."""
    return "/" + _relative(lockfile, directory)


def _relative(path: Path, directory: Path) -> str:
    """`path` below `directory`, as git spells paths (ValueError when it is not below)."""
    return path.resolve().relative_to(directory.resolve()).as_posix()


def add_attribute(attributes: Path, pattern: str) -> bool:
    """Route `pattern` to the merge driver in an attributes file; False when it was."""
    return append_line(attributes, f"{pattern} {ATTRIBUTE}", ATTRIBUTES_COMMENT)


def append_line(path: Path, line: str, comment: str, *, same: tuple[str, ...] = ()) -> bool:
    """Append `line` (after `comment`) to a git file such as .gitignore, unless it, or
    one of the `same` lines meaning the same, is there already. Returns whether it wrote."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if any(raw.strip() in (line, *same) for raw in text.splitlines()):
        return False
    separator = "" if text.endswith("\n") or not text else "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{text}{separator}{comment}\n{line}\n", encoding="utf-8")
    return True


def routes_to_driver(top: Path, lockfile: Path) -> bool:
    """Whether the clone's attributes send `lockfile` to the interform merge driver."""
    out = git(["check-attr", "merge", "--", _relative(lockfile, top)], top, check=False) or ""
    return out.strip().endswith(f": merge: {DRIVER}")


def local_attributes(top: Path) -> Path:
    """`$GIT_DIR/info/attributes`: attributes of this clone only, never committed."""
    path = (git(["rev-parse", "--git-path", "info/attributes"], top) or "").strip()
    return top / path


def unmerged_stages(top: Path, path: Path) -> dict[int, str]:
    """The versions git keeps of a file with an unfinished merge: 1 the common ancestor,
    2 ours, 3 theirs (each present only where that side has the file)."""
    listing = git(["ls-files", "--unmerged", "-z", "--", _relative(path, top)], top, check=False)
    stages: dict[int, str] = {}
    for record in filter(None, (listing or "").split("\0")):
        info, _, _name = record.partition("\t")
        _mode, blob, stage = info.split()
        stages[int(stage)] = git(["cat-file", "blob", blob], top) or ""
    return stages
