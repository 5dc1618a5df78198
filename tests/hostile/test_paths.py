"""Paths that settings and the definitions directory name: inside the project, off
interform's own files, out of git for secrets — or one positioned error, before anything
is read or written; and nothing under interviews/ is ever skipped in silence."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from .hostile_support import (
    DEMO,
    PROJECT,
    assert_bounded,
    one_line_error,
    record,
    run_cli,
    write_project,
)

# ---------------------------------------------------------------------- interform.yaml

SETTINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "lockfile: /dev/zero": ("lockfile: /dev/zero", ("'/dev/zero' is absolute",)),
    "lockfile: ../../x.lock": ("lockfile: ../../x.lock", ("leaves the project directory",)),
    "lockfile: interform.yaml": (
        "lockfile: interform.yaml",
        ("'interform.yaml' is interform.yaml",),
    ),
    "lockfile in interviews/": (
        "lockfile: interviews/x.lock",
        ("is in the definitions directory",),
    ),
    "lockfile in .interform/": ("lockfile: .interform/x", ("is in interform's state directory",)),
    "interviews: /etc": ("interviews: /etc", ("'/etc' is absolute",)),
    "interviews: ../..": ("interviews: ../..", ("leaves the project directory",)),
    "interviews: .": ("interviews: .", ("is the project directory itself",)),
    "interviews: a link out": (
        "interviews: etc",
        ("'etc' resolves outside the project (to /etc)",),
    ),
}


@pytest.mark.parametrize("case", sorted(SETTINGS))
def test_a_hostile_project_path(case: str, tmp_path: Path) -> None:
    line, fragments = SETTINGS[case]
    root = write_project(tmp_path, PROJECT + line + "\n")
    (root / "etc").symlink_to("/etc")
    # fmt rewrites the definitions: it checks interviews: too (the lockfile it leaves alone)
    commands = ["validate", "plan", *(["fmt"] if line.startswith("interviews") else [])]
    for command in commands:
        run = run_cli(root, command)
        record("interform.yaml", f"{case} ({command})", run)
        assert_bounded(run)
        assert run.code == 1, run.output
        one_line_error(run, "interform.yaml:", *fragments)


def test_fmt_never_rewrites_outside_the_project(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.yaml").write_text("b:   1\na:    2\n")
    root = write_project(tmp_path / "project", PROJECT + "interviews: ../outside\n")
    run = run_cli(root, "fmt")
    record("interform.yaml", "fmt with interviews: ../outside", run)
    assert_bounded(run)
    assert run.code == 1
    assert (outside / "victim.yaml").read_text() == "b:   1\na:    2\n"


def test_a_base_url_with_a_password_is_refused_and_masked(tmp_path: Path) -> None:
    url = "https://robot:hunter2@api.example.test/v1"
    root = write_project(
        tmp_path, PROJECT.replace("provider: micro1", f"provider: micro1\n    base_url: {url}")
    )
    run = run_cli(root, "plan")
    record("interform.yaml", "base_url with user:password@", run)
    assert_bounded(run)
    assert run.code == 1
    one_line_error(run, "interform.yaml:5:", "base_url carries a user name or password")
    assert "hunter2" not in run.output and "robot" not in run.output


# ---------------------------------------------------------------------- interviews/

Setup = Callable[[Path], object]  # what a setup returns is ignored


def _outside_yaml(root: Path) -> None:
    secret = root.parent / "outside.yaml"
    secret.write_text(DEMO)
    (root / "interviews" / "stolen.yaml").symlink_to(secret)


def _fifo(root: Path) -> None:
    os.mkfifo(root / "interviews" / "pipe.yaml")


DEFINITIONS: dict[str, tuple[Setup, tuple[str, ...]]] = {
    "directory link out": (
        lambda r: (r / "interviews" / "etc").symlink_to("/etc"),
        ("interviews/etc: is a symbolic link out of the project (to /etc)",),
    ),
    "file link out": (_outside_yaml, ("interviews/stolen.yaml: is a symbolic link out",)),
    "device link": (
        lambda r: (r / "interviews" / "zero.yaml").symlink_to("/dev/zero"),
        ("interviews/zero.yaml: is a symbolic link out of the project (to /dev/zero)",),
    ),
    "broken link": (
        lambda r: (r / "interviews" / "gone.yaml").symlink_to(r / "nowhere.yaml"),
        ("interviews/gone.yaml: is a broken symbolic link",),
    ),
    "link loop": (
        lambda r: (r / "interviews" / "loop").symlink_to(r / "interviews"),
        ("interviews/loop: links to interviews, which is read already",),
    ),
    "hidden directory": (
        lambda r: write_project(r, **{".drafts/old": DEMO}),
        ("interviews/.drafts: is a hidden directory holding definitions",),
    ),
    "hidden file": (
        lambda r: write_project(r, **{".old": DEMO}),
        ("interviews/.old.yaml: is a hidden file",),
    ),
    "a FIFO": (_fifo, ("interviews/pipe.yaml:1:1: not a regular file",)),
}


@pytest.mark.parametrize("case", sorted(DEFINITIONS))
def test_a_hostile_definitions_directory(case: str, tmp_path: Path) -> None:
    setup, fragments = DEFINITIONS[case]
    root = write_project(tmp_path / "project")
    setup(root)
    run = run_cli(root, "plan")
    record("definitions", case, run)
    assert_bounded(run)
    assert run.code == 1, run.output
    one_line_error(run, *fragments)


def test_definitions_behind_a_link_inside_the_project_are_read(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project")
    shared = root / "shared"
    shared.mkdir()
    (shared / "common.yaml").write_text(DEMO)
    (root / "interviews" / "team").symlink_to(shared)
    run = run_cli(root, "validate")
    record("definitions", "link inside the project", run)
    assert_bounded(run)
    assert run.code == 0 and "2 definitions valid" in run.output, run.output


# ---------------------------------------------------------------------- secret files

JOBMOJITO = """\
project: hostile
targets:
  jm:
    provider: jobmojito
defaults:
  language: en
  jobmojito:
    interview_template_id: 46b98d37-1557-4391-beca-03037ead19f2
"""


def embedded(key_file: str) -> str:
    return f"""\
title: Embedded screen
description: A screen embedded in the careers page.
targets: [jm]
questions:
  - text: Why this job?
jobmojito:
  embed:
    signing_key_file: {key_file}
"""


KEY_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "../victim.txt": ("../victim.txt", ("leaves the project directory",)),
    "interform.yaml": ("interform.yaml", ("'interform.yaml' is interform.yaml",)),
    "interform.lock": ("interform.lock", ("'interform.lock' is the lockfile",)),
    "the journal": ("interform.lock.journal", ("the lockfile's journal, lock or temporary file",)),
    "a definition": ("interviews/screen.yaml", ("is in the definitions directory",)),
    "/etc/passwd": ("/etc/passwd", ("is absolute",)),
    "the state directory": (".interform/k", ("is in interform's state directory",)),
}


@pytest.mark.parametrize("case", sorted(KEY_FILES))
def test_a_signing_key_file_on_interforms_files_or_outside(case: str, tmp_path: Path) -> None:
    value, fragments = KEY_FILES[case]
    root = write_project(tmp_path / "project", JOBMOJITO, screen=embedded(value))
    (tmp_path / "victim.txt").write_text("untouched\n")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    run = run_cli(root, "apply", "--sandbox", "--auto-approve")
    record("definitions", f"signing_key_file: {case}", run)
    assert_bounded(run)
    assert run.code == 1, run.output
    one_line_error(run, "interviews/screen.yaml:8:", "signing_key_file", *fragments)
    assert (tmp_path / "victim.txt").read_text() == "untouched\n"
    assert {p: p.read_bytes() for p in before} == before


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.mark.parametrize(
    ("case", "fragments"),
    [
        ("tracked by git", ("is tracked by git: a secret written there would be committed",)),
        ("not ignored by git", ("is not ignored by git",)),
        ("a link out of the project", ("resolves outside the project",)),
    ],
)
def test_a_signing_key_file_git_would_commit(
    case: str, fragments: tuple[str, ...], tmp_path: Path
) -> None:
    root = write_project(tmp_path / "project", JOBMOJITO, screen=embedded("keys/embed.key"))
    _git(root, "init", "-q")
    (root / ".gitignore").write_text(".interform/\n")
    (root / "keys").mkdir()
    if case == "tracked by git":
        (root / "keys" / "embed.key").write_text("old\n")
        _git(root, "add", "keys/embed.key")
    elif case == "a link out of the project":
        (root / "keys").rmdir()
        (root / "keys").symlink_to(tmp_path)
    run = run_cli(root, "apply", "--sandbox", "--auto-approve")
    record("definitions", f"signing_key_file {case}", run)
    assert_bounded(run)
    assert run.code == 1, run.output
    one_line_error(
        run, "interviews/screen.yaml:8:", "embed_signing_key cannot be written", *fragments
    )
    assert "created" not in run.output, "refused before anything was sent"


def test_a_signing_key_goes_to_an_ignored_file_mode_0600(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", JOBMOJITO, screen=embedded("keys/embed.key"))
    _git(root, "init", "-q")
    (root / ".gitignore").write_text(".interform/\nkeys/\n")
    run = run_cli(root, "apply", "--sandbox", "--auto-approve")
    record("definitions", "signing_key_file ignored by git", run)
    assert_bounded(run)
    assert run.code == 0, run.output
    key = root / "keys" / "embed.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert key.read_text().strip() not in run.output
