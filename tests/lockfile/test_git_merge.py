"""The lockfile in real git clones: merged and rebased through the merge driver that
`interform lockfile setup-git` configures, git's own merge of the format, and
`interform lockfile merge --resolve` for a merge that left conflict markers."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from git_support import git_env
from interform.lockfile.model import Entry, Lockfile
from interform.lockfile.store import dumps_lockfile, read_lockfile

LINEAGE = "5d0c1c2e-0000-4000-8000-000000000001"
PROJECT = "project: merging\ntargets:\n  iv:\n    provider: instaview\n"
GIT_ENV = git_env()


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=GIT_ENV, capture_output=True, text=True, check=False
    )
    assert not check or done.returncode == 0, done
    return done


def interform(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interform", *args],
        cwd=repo,
        env=GIT_ENV,
        capture_output=True,
        text=True,
        check=False,
    )


def entry(name: str, remote_id: str, **extra: object) -> tuple[str, Entry]:
    values: dict[str, object] = {
        "interview": name,
        "target": "iv",
        "provider": "instaview",
        "kind": "agent",
        "remote_id": remote_id,
        "request": {"name": name},
        "created_at": "2026-05-01T10:00:00Z",
        "updated_at": "2026-05-01T10:00:00Z",
        **extra,
    }
    return f"{name}@iv", Entry.model_validate(values)


def write_lock(repo: Path, *entries: tuple[str, Entry], lineage: str = LINEAGE) -> None:
    text = dumps_lockfile(Lockfile(lineage=lineage, entries=dict(entries)))
    (repo / "interform.lock").write_text(text)


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def tracked(repo: Path) -> dict[str, str | None]:
    lock = read_lockfile(repo / "interform.lock")
    assert lock is not None
    return {address: e.remote_id for address, e in lock.entries.items()}


# six addresses between which the two branches' changes fall
BASE = [entry(name, name.upper()) for name in ("b", "d", "f", "h", "j", "l")]


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    """A clone with a project and a lockfile on `trunk`, and branches `x` and `y`."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "trunk")
    (repo / "interform.yaml").write_text(PROJECT)
    (repo / "interviews").mkdir()
    (repo / "interviews" / ".keep").write_text("")
    write_lock(repo, *BASE)
    commit(repo, "base")
    git(repo, "branch", "x")
    git(repo, "branch", "y")
    yield repo


def diverge(repo: Path, ours: list[tuple[str, Entry]], theirs: list[tuple[str, Entry]]) -> None:
    for branch, entries in (("x", ours), ("y", theirs)):
        git(repo, "checkout", "-q", branch)
        write_lock(repo, *entries)
        commit(repo, f"lockfile on {branch}")
    git(repo, "checkout", "-q", "trunk")


def setup_driver(repo: Path) -> None:
    (repo / ".gitattributes").write_text("/interform.lock merge=interform\n")
    commit(repo, "attributes")
    done = interform(repo, "lockfile", "setup-git")
    assert done.returncode == 0, done
    assert (
        done.stdout
        == "git merges interform.lock with `interform lockfile merge` in this clone (configured)\n"
    )


ADDED_X = [entry("c", "C"), entry("k", "K")]
ADDED_Y = [entry("g", "G")]
CHANGED = entry("d", "D", request={"name": "d2"}, updated_at="2026-05-02T00:00:00Z")


def test_setup_git_configures_the_driver_and_covers_a_clone_without_attributes(
    repo: Path,
) -> None:
    done = interform(repo, "lockfile", "setup-git")
    assert done.returncode == 0, done
    assert done.stdout.splitlines() == [
        "git merges interform.lock with `interform lockfile merge` in this clone (configured)",
        ".gitattributes does not send interform.lock to the driver: added `/interform.lock "
        "merge=interform` to .git/info/attributes for this clone; run `interform init` and "
        "commit .gitattributes so every clone has it",
    ]
    driver = git(repo, "config", "merge.interform.driver").stdout.strip()
    assert driver == f'{sys.executable} -m interform lockfile merge %O %A %B --path "%P"'
    assert git(repo, "check-attr", "merge", "interform.lock").stdout.endswith("merge: interform\n")
    assert git(repo, "status", "--porcelain").stdout == ""  # the work tree is untouched
    again = interform(repo, "lockfile", "setup-git")
    assert again.stdout.endswith("(already configured)\n")


@pytest.mark.parametrize("order", [("x", "y"), ("y", "x")])
def test_branches_that_changed_the_lockfile_merge_in_either_order(
    repo: Path, order: tuple[str, str]
) -> None:
    setup_driver(repo)
    same_address_x = entry("n", "N1", created_at="2026-05-02T09:00:00Z")
    same_address_y = entry("n", "N2", created_at="2026-05-02T10:00:00Z")
    diverge(
        repo,
        ours=[*BASE, *ADDED_X, same_address_x],
        theirs=[*[CHANGED if a == "d@iv" else (a, e) for a, e in BASE], *ADDED_Y, same_address_y],
    )
    first, second = order
    git(repo, "merge", "-q", "--no-edit", first)
    done = git(repo, "merge", "--no-edit", second)
    assert "both sides created it" in done.stderr
    assert git(repo, "status", "--porcelain").stdout == ""
    assert tracked(repo) == {
        **{address: e.remote_id for address, e in BASE},
        "c@iv": "C",
        "g@iv": "G",
        "k@iv": "K",
        "n@iv": "N1",
        "n@iv~N2": "N2",
    }
    lock = read_lockfile(repo / "interform.lock")
    assert lock is not None and lock.entries["d@iv"].request == {"name": "d2"}


def test_a_rebase_replays_a_lockfile_commit_through_the_driver(repo: Path) -> None:
    setup_driver(repo)
    diverge(repo, ours=[*BASE, entry("c", "C")], theirs=[*BASE, entry("e", "E")])
    git(repo, "checkout", "-q", "x")
    git(repo, "rebase", "-q", "y")
    assert tracked(repo) == {**{a: e.remote_id for a, e in BASE}, "c@iv": "C", "e@iv": "E"}


def test_without_the_driver_git_merges_disjoint_changes_on_its_own(repo: Path) -> None:
    # no write counter or tool version in the file: entries apart from each other merge
    diverge(repo, ours=[*BASE, *ADDED_X], theirs=[*BASE, *ADDED_Y])
    git(repo, "merge", "-q", "--no-edit", "x")
    git(repo, "merge", "-q", "--no-edit", "y")
    assert sorted(tracked(repo)) == sorted([a for a, _ in BASE] + ["c@iv", "g@iv", "k@iv"])


def test_a_conflicted_lockfile_is_refused_then_resolved_from_gits_index(repo: Path) -> None:
    # both branches created the same address: git's line merge cannot settle that
    diverge(repo, ours=[*BASE, entry("n", "N1")], theirs=[*BASE, entry("n", "N2")])
    git(repo, "merge", "-q", "--no-edit", "x")
    assert git(repo, "merge", "--no-edit", "y", check=False).returncode == 1
    refused = interform(repo, "state", "list")
    assert refused.returncode == 1
    assert "the lockfile holds git conflict markers" in refused.stderr
    assert "run `interform lockfile merge --resolve`" in refused.stderr
    assert "Traceback" not in refused.stderr

    done = interform(repo, "lockfile", "merge", "--resolve")
    assert done.returncode == 0, done
    assert done.stdout == (
        "interform.lock: merged both sides (8 entries); mark it resolved with "
        "`git add interform.lock`, then finish the merge\n"
    )
    assert "interform.lock: n@iv: both sides created it" in done.stderr
    git(repo, "add", "interform.lock")
    git(repo, "commit", "-q", "--no-edit")
    listed = interform(repo, "state", "list")
    assert listed.returncode == 0, listed
    assert "n@iv\n" in listed.stdout and "n@iv~N2\n" in listed.stdout


def test_resolve_takes_the_sides_from_the_markers_outside_a_merge(tmp_path: Path) -> None:
    (tmp_path / "interform.yaml").write_text(PROJECT)
    versions = {}
    for name, entries in (
        ("base", BASE),
        ("ours", [*BASE, entry("n", "N1")]),
        ("theirs", [*BASE, entry("n", "N2")]),
    ):
        write_lock(tmp_path, *entries)
        versions[name] = tmp_path / f"{name}.lock"
        (tmp_path / "interform.lock").rename(versions[name])
    conflicted = subprocess.run(
        [
            "git",
            "merge-file",
            "-p",
            "--diff3",
            *(str(versions[n]) for n in ("ours", "base", "theirs")),
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    (tmp_path / "interform.lock").write_text(conflicted)
    done = interform(tmp_path, "lockfile", "merge", "--resolve")
    assert done.returncode == 0, done
    assert tracked(tmp_path) == {**{a: e.remote_id for a, e in BASE}, "n@iv": "N1", "n@iv~N2": "N2"}
    nothing = interform(tmp_path, "lockfile", "merge", "--resolve")
    assert (nothing.returncode, nothing.stderr) == (
        1,
        "interform.lock: has no merge conflict to resolve — nothing to do\n",
    )


def test_the_driver_refuses_two_lineages_and_leaves_the_file_plainly_unmerged(repo: Path) -> None:
    setup_driver(repo)
    other = "5d0c1c2e-0000-4000-8000-000000000002"
    diverge(repo, ours=[*BASE, entry("c", "C")], theirs=[])
    git(repo, "checkout", "-q", "y")
    write_lock(repo, entry("z", "Z"), lineage=other)
    commit(repo, "another first apply")
    git(repo, "checkout", "-q", "trunk")
    git(repo, "merge", "-q", "--no-edit", "x")
    done = git(repo, "merge", "--no-edit", "y", check=False)
    assert done.returncode == 1
    assert "the two sides are different lockfiles" in done.stderr
    refused = interform(repo, "state", "list")
    assert "the lockfile holds git conflict markers" in refused.stderr
    again = interform(repo, "lockfile", "merge", "--resolve")
    assert again.returncode == 1 and "the two sides are different lockfiles" in again.stderr


def test_the_driver_writes_deterministic_text(tmp_path: Path) -> None:
    files = []
    for name, entries in (("O", BASE), ("A", [*BASE, *ADDED_X]), ("B", [*BASE, *ADDED_Y])):
        write_lock(tmp_path, *entries)
        files.append(tmp_path / name)
        (tmp_path / "interform.lock").rename(files[-1])
    done = interform(tmp_path, "lockfile", "merge", *map(str, files), "--path", "interform.lock")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    text = files[1].read_text()
    data = json.loads(text)
    assert sorted(data["entries"]) == sorted([a for a, _ in BASE] + ["c@iv", "g@iv", "k@iv"])
    assert text == dumps_lockfile(Lockfile.model_validate(data))


def test_the_hints_work_as_printed_from_another_directory(tmp_path: Path) -> None:
    # a project in a subfolder of the clone, its lockfile at a non-default path, and
    # every command run from outside with -C: the hints must repeat all of it
    repo = tmp_path / "repo"
    project = repo / "hiring"
    (project / "interviews").mkdir(parents=True)
    (project / "interform.yaml").write_text(PROJECT + "lockfile: state/main.lock\n")
    git(repo, "init", "-q", "-b", "trunk")
    lockfile = project / "state" / "main.lock"
    lockfile.parent.mkdir()
    for branch, extra in (("trunk", []), ("x", [entry("n", "N1")]), ("y", [entry("n", "N2")])):
        if branch != "trunk":
            git(repo, "checkout", "-q", "-b", branch, "trunk")
        lockfile.write_text(
            dumps_lockfile(Lockfile(lineage=LINEAGE, entries=dict([*BASE, *extra])))
        )
        commit(repo, branch)
    git(repo, "checkout", "-q", "trunk")
    git(repo, "merge", "-q", "x")
    assert git(repo, "merge", "y", check=False).returncode == 1
    refused = interform(tmp_path, "-C", "repo/hiring", "state", "list")
    assert refused.returncode == 1
    hints = re.findall(r"`([^`]+)`", refused.stderr)
    assert hints == [
        "interform -C repo/hiring lockfile merge --resolve",
        "git -C repo/hiring/state add main.lock",
    ]
    for hint in hints:
        done = subprocess.run(
            shlex.split(hint.replace("interform", f"{sys.executable} -m interform", 1)),
            cwd=tmp_path,
            env=GIT_ENV,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done
    git(repo, "commit", "-q", "--no-edit")
    listed = interform(tmp_path, "-C", "repo/hiring", "state", "list")
    assert listed.returncode == 0 and "n@iv~N2\n" in listed.stdout
