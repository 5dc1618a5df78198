"""Merging the versions of a lockfile as git presents them: the three files it hands its
merge driver, or a lockfile a merge left with conflict markers (git's index still holds
the three versions then; the markers are the fallback)."""

from __future__ import annotations

from pathlib import Path

from interform.errors import Problem, UserError
from interform.lockfile.markers import first_marker_line, split_sides
from interform.lockfile.merge import Merged, merge_lockfiles
from interform.lockfile.model import Lockfile
from interform.lockfile.store import parse_lockfile

KEEP_ONE_SIDE = (
    "merge by hand: keep one side (`git checkout --ours` or `--theirs` on the lockfile) and "
    "track the other side's objects with `interform import ADDRESS REMOTE_ID`"
)


def merge_texts(base: str | None, ours: str, theirs: str, name: str) -> Merged:
    """Merge three versions of the lockfile `name` (its path, for messages). An unreadable
    base (a merge of merges can hand over one with conflict markers of its own) counts as
    no common ancestor."""
    return merge_lockfiles(
        _base(base, name), _side(ours, name, "ours"), _side(theirs, name, "theirs"), name
    )


def conflicted_versions(path: Path, name: str) -> tuple[str | None, str, str]:
    """(base or None, ours, theirs) of the lockfile at `path`, which a merge left
    conflicted: from git's index while the merge is unfinished, else from its markers."""
    from interform.git import unmerged_stages, work_tree

    top = work_tree(path.parent)
    stages = unmerged_stages(top, path) if top else {}
    if stages and not {2, 3} <= set(stages):
        raise UserError(
            [
                Problem(
                    name,
                    0,
                    0,
                    "one side of the merge deleted the lockfile",
                    "keep the side that has it (`git checkout --ours` or `--theirs`), since "
                    "deleting it loses track of every object",
                )
            ]
        )
    if stages:
        return stages.get(1), stages[2], stages[3]
    text = read_version(path, name)
    if not first_marker_line(text):
        raise UserError([Problem(name, 0, 0, "has no merge conflict to resolve", "nothing to do")])
    sides = split_sides(text)
    if sides is None:
        raise UserError([Problem(name, 0, 0, "its conflict markers do not nest", KEEP_ONE_SIDE)])
    return sides.base, sides.ours, sides.theirs


def read_version(path: Path, name: str) -> str:
    """One version of the lockfile `name` (a file git handed over, or the lockfile)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UserError([Problem(name, 0, 0, f"cannot read {path}: {err}")]) from err


def conflicted(ours: str, theirs: str, size: int = 7) -> str:
    """A whole-file conflict: what the driver leaves when it refuses, so the file cannot
    pass for merged (interform refuses to read it, naming the way out)."""
    return (
        f"{'<' * size} ours\n{_newline(ours)}{'=' * size}\n{_newline(theirs)}{'>' * size} theirs\n"
    )


def _newline(text: str) -> str:
    return text if text.endswith("\n") or not text else text + "\n"


def _side(text: str, name: str, which: str) -> Lockfile:
    try:
        return parse_lockfile(text, Path(name))
    except UserError as err:
        raise UserError(
            [Problem(p.path, p.line, p.col, f"{which}: {p.message}", p.fix) for p in err.problems]
        ) from err


def _base(text: str | None, name: str) -> Lockfile | None:
    if not text or not text.strip():
        return None  # git's empty stand-in: the file is new on both sides
    try:
        return parse_lockfile(text, Path(name))
    except UserError:
        return None
