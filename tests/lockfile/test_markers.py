"""Conflict markers: git's own conflicted output taken apart into the exact versions, and
a lockfile holding them refused with the command that resolves it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from interform.errors import UserError
from interform.lockfile.markers import first_marker_line, split_sides
from interform.lockfile.store import read_lockfile

BASE = "".join(f"line {n}\n" for n in range(1, 13))
OURS = BASE.replace("line 2\n", "line 2 ours\n").replace("line 9\n", "line 9 ours\n")
THEIRS = BASE.replace("line 2\n", "line 2 theirs\n").replace("line 9\n", "")


def git_conflict(tmp_path: Path, style: str) -> str:
    """What `git merge` writes into a file both sides changed, in the given style."""
    files = {}
    for name, text in (("base", BASE), ("ours", OURS), ("theirs", THEIRS)):
        files[name] = tmp_path / name
        files[name].write_text(text)
    extra = [] if style == "merge" else [f"--{style}"]
    done = subprocess.run(
        [
            "git",
            "merge-file",
            "-p",
            *extra,
            str(files["ours"]),
            str(files["base"]),
            str(files["theirs"]),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done  # two conflicting hunks
    return done.stdout


@pytest.mark.parametrize("style", ["merge", "diff3", "zdiff3"])
def test_git_conflicts_split_into_the_exact_sides(tmp_path: Path, style: str) -> None:
    text = git_conflict(tmp_path, style)
    sides = split_sides(text)
    assert sides is not None
    assert (sides.ours, sides.theirs) == (OURS, THEIRS)
    assert sides.base == (None if style == "merge" else BASE)
    assert (
        first_marker_line(text)
        == text.splitlines().index(
            next(line for line in text.splitlines() if line.startswith("<<<<<<<"))
        )
        + 1
    )


@pytest.mark.parametrize(
    "text",
    [
        "<<<<<<< a\nx\n=======\ny\n",  # never closed
        "=======\nx\n",  # no start
        "<<<<<<< a\nx\n>>>>>>> b\n",  # no split
        "<<<<<<< a\n<<<<<<< b\n=======\n>>>>>>> c\n",  # nested
    ],
)
def test_markers_out_of_order_are_not_taken_apart(text: str) -> None:
    assert split_sides(text) is None


def test_text_without_markers() -> None:
    assert first_marker_line('{\n  "version": 3\n}\n') == 0
    assert first_marker_line("a\n========\n") == 0  # a separator alone is not a conflict


def test_a_lockfile_with_conflict_markers_names_the_command_that_resolves_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "interform.lock"
    path.write_text('{\n  "entries": {\n<<<<<<< HEAD\n    "a": 1\n=======\n    "b": 2\n>>>>>>> x\n')
    with pytest.raises(UserError) as err:
        read_lockfile(path)
    (line,) = err.value.lines()
    assert line.startswith(f"{path}:3:1: the lockfile holds git conflict markers")
    assert "run `interform lockfile merge --resolve`" in line
    assert "not valid JSON" not in line
