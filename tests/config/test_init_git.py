"""`interform init` in git: an existing project gains its CI workflows and git setup and
nothing else changes; the merge driver is configured in the clone init runs in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from git_support import git_env
from interform import __version__

GIT_ENV = git_env()
PLACEHOLDER_NOTE = (
    "set INTERFORM_REPOSITORY in the workflow to the git URL your team installs interform "
    "from: it has no release on PyPI yet"
)


def sh(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=GIT_ENV, capture_output=True, text=True, check=False)


def interform(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return sh(cwd, sys.executable, "-m", "interform", *args)


def committed_project(tmp_path: Path) -> Path:
    """A project as a team has it before CI: made by init, committed, in a git clone."""
    root = tmp_path / "hiring"
    root.mkdir()
    assert sh(root, "git", "init", "-q", "-b", "trunk").returncode == 0
    assert interform(root, "init").returncode == 0
    assert sh(root, "git", "add", "-A").returncode == 0
    assert sh(root, "git", "commit", "-q", "-m", "project").returncode == 0
    return root


def test_init_ci_on_an_existing_project_adds_the_workflows_and_nothing_else(
    tmp_path: Path,
) -> None:
    root = committed_project(tmp_path)
    done = interform(root, "init", "--ci", "github")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        "created .github/workflows/interform.yml",
        "created .github/workflows/interform-comment.yml",
        "git merges interform.lock with `interform lockfile merge` in this clone",
        PLACEHOLDER_NOTE,
        "next: review the new files and commit them",
    ]
    status = sh(root, "git", "status", "--porcelain", "--untracked-files=all").stdout
    assert status.splitlines() == [
        "?? .github/workflows/interform-comment.yml",
        "?? .github/workflows/interform.yml",
    ]
    # run again: everything is there, nothing is written
    again = interform(root, "init", "--ci", "github")
    assert again.returncode == 0
    assert again.stdout.splitlines()[:2] == [
        f"kept .github/workflows/{name} (it exists: compare it with the one `interform init "
        "--ci github` writes in an empty directory)"
        for name in ("interform.yml", "interform-comment.yml")
    ]


def test_init_on_a_project_from_before_adds_the_git_setup(tmp_path: Path) -> None:
    root = tmp_path / "older"
    (root / "interviews").mkdir(parents=True)
    settings = "project: older\nlockfile: state/interform.lock\ntargets: {}\n"
    (root / "interform.yaml").write_text(settings)
    assert sh(root, "git", "init", "-q").returncode == 0
    done = interform(root, "init")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "created .gitignore",
        "created .gitattributes",
        "git merges state/interform.lock with `interform lockfile merge` in this clone",
        f'add `required_version: "{__version__}"` to interform.yaml: CI installs the version '
        "it pins",
        "next: review the new files and commit them",
    ]
    assert (root / "interform.yaml").read_text() == settings
    assert (root / ".gitattributes").read_text().splitlines()[-1] == (
        "/state/interform.lock merge=interform"
    )
    attribute = sh(root, "git", "check-attr", "merge", "state/interform.lock").stdout
    assert attribute == "state/interform.lock: merge: interform\n"
    driver = sh(root, "git", "config", "merge.interform.driver").stdout
    assert driver == f'{sys.executable} -m interform lockfile merge %O %A %B --path "%P"\n'


def test_outside_a_clone_init_says_how_to_set_git_up_later(tmp_path: Path) -> None:
    done = interform(tmp_path, "init")
    assert done.returncode == 0
    assert (
        "not in a git clone: after `git init`, run `interform lockfile setup-git`"
        in done.stdout.splitlines()
    )
    refused = interform(tmp_path, "lockfile", "setup-git")
    assert refused.returncode == 1
    assert refused.stderr == (
        f"{tmp_path} is not in a git clone — run it in a clone (after `git init` or `git clone`)\n"
    )
    assert sh(tmp_path, "git", "init", "-q").returncode == 0
    done = interform(tmp_path, "lockfile", "setup-git")
    assert done.stdout == (
        "git merges interform.lock with `interform lockfile merge` in this clone (configured)\n"
    )


def test_a_lockfile_setting_outside_the_project_is_left_to_validate(tmp_path: Path) -> None:
    root = tmp_path / "odd"
    (root / "interviews").mkdir(parents=True)
    (root / "interform.yaml").write_text("lockfile: ../elsewhere.lock\ntargets: {}\n")
    done = interform(root, "init")
    assert (done.returncode, done.stderr) == (0, "")
    assert not (root / ".gitattributes").exists()
