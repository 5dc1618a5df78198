"""`interform import`: adopting objects that exist in the (in-process) sandbox, settling
blocked creates, and `--generate` writing definitions that validate and plan clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interform.lockfile.lock import ApplyLock

from .test_state_support import (
    SANDBOX_LOCK,
    forget,
    interrupt,
    make_project,
    run,
    sandbox_apply,
    sandbox_lock,
    write,
)

NO_CHANGES = "No changes. Your interviews match the lockfile."


def plan_clean(root: Path) -> bool:
    return NO_CHANGES in run(root, "plan", "--sandbox").output


def test_import_tracks_the_object_again(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    before = sandbox_apply(root).entries["eng/frontend@micro1"]
    ids = forget(root, "eng/frontend@micro1")
    assert not plan_clean(root)  # it would be created a second time
    result = run(root, "import", "--sandbox", "eng/frontend@micro1", ids["eng/frontend@micro1"])
    assert result.exit_code == 0
    assert result.output == (
        f"Imported eng/frontend@micro1: micro1 interview {before.remote_id}\n"
        f"  invite_url: {before.urls['invite_url']}\n"
    )
    entry = sandbox_lock(root).entries["eng/frontend@micro1"]
    assert (entry.remote_id, entry.digest, entry.request) == (
        before.remote_id,
        before.digest,
        before.request,
    )
    assert entry.source == "interviews/eng/frontend.yaml" and entry.urls == before.urls
    assert plan_clean(root)
    again = run(root, "import", "--sandbox", "eng/frontend@micro1", str(before.remote_id))
    assert again.exit_code == 0
    assert again.output == (
        f"eng/frontend@micro1 already tracks micro1 interview {before.remote_id}\n"
    )


def test_import_of_a_session_records_its_parent(tmp_path: Path) -> None:
    root = make_project(tmp_path, study=True)
    before = sandbox_apply(root)
    ids = forget(root, "research/study@vs#acme")
    assert run(root, "import", "--sandbox", "research/study@vs#acme", ids["research/study@vs#acme"])
    entry = sandbox_lock(root).entries["research/study@vs#acme"]
    assert entry.parent == "research/study@vs"
    assert entry.parent_remote_id == before.entries["research/study@vs"].remote_id
    assert entry.marker == "interform:demo:research/study@vs#acme"
    assert entry.urls == before.entries["research/study@vs#acme"].urls
    assert plan_clean(root)


def test_imported_object_that_differs_from_its_definition_is_updated(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    sandbox_apply(root)
    ids = forget(root, "eng/frontend@micro1")
    write(root, "interviews/eng/frontend.yaml", "title: Frontend, renamed\ntargets: [micro1]\n")
    run(root, "import", "--sandbox", "eng/frontend@micro1", ids["eng/frontend@micro1"])
    changes = json.loads(run(root, "plan", "--sandbox", "--json").stdout)["changes"]
    assert [(c["address"], c["action"]) for c in changes] == [("eng/frontend@micro1", "update")]


def test_import_without_a_definition_warns_it_would_be_removed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    sandbox_apply(root)
    ids = forget(root, "eng/frontend@micro1", delete=("interviews/eng/frontend.yaml",))
    result = run(root, "import", "--sandbox", "eng/other@micro1", ids["eng/frontend@micro1"])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        "  no definition deploys it: the next plan removes it unless eng/other is defined "
        f"for micro1 (`interform -C {root} import --generate eng/other@micro1 "
        f"{ids['eng/frontend@micro1']} --sandbox` writes one)"
    )


@pytest.mark.parametrize(
    ("address", "remote_id", "expected"),
    [
        (
            "eng/frontend@micro1",
            "no-such-id",
            "eng/frontend@micro1: micro1 has no micro1 interview no-such-id (no interview with "
            "id no-such-id) — check the id on the platform (and that the target is the right "
            "account)",
        ),
        (
            "eng/frontend@nowhere",
            "x",
            "interform.yaml: no target 'nowhere' — use one of: iv, micro1, vs",
        ),
        (
            "Not An Address",
            "x",
            "'Not An Address' is not an address; expected INTERVIEW@TARGET or "
            "INTERVIEW@TARGET#SESSION — write it as INTERVIEW@TARGET[#SESSION]",
        ),
    ],
)
def test_import_refusals(tmp_path: Path, address: str, remote_id: str, expected: str) -> None:
    root = make_project(tmp_path)
    lock = sandbox_apply(root)
    forget(root, "eng/frontend@micro1")
    result = run(root, "import", "--sandbox", address, remote_id)
    assert result.exit_code == 1
    assert result.output == expected + "\n"
    assert sandbox_lock(root).entries.keys() == lock.entries.keys() - {"eng/frontend@micro1"}


def test_import_refuses_to_track_one_object_twice_or_replace_a_tracked_one(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path)
    lock = sandbox_apply(root)
    backend, frontend = (lock.entries[f"eng/{n}@micro1"].remote_id for n in ("backend", "frontend"))
    twice = run(root, "import", "--sandbox", "eng/copy@micro1", str(backend))
    assert twice.exit_code == 1
    assert twice.output == (
        f"micro1 interview {backend} is already tracked as eng/backend@micro1 — to re-key it, "
        f"run `interform -C {root} state mv eng/backend@micro1 eng/copy@micro1 --sandbox`\n"
    )
    other = run(root, "import", "--sandbox", "eng/frontend@micro1", str(backend))
    assert other.exit_code == 1
    assert other.output == (
        f"eng/frontend@micro1 already tracks micro1 interview {frontend} — "
        f"`interform -C {root} state rm eng/frontend@micro1 --sandbox` first to track another "
        "object there\n"
    )
    assert sandbox_lock(root) == lock


def test_import_settles_a_blocked_create(tmp_path: Path) -> None:
    root = make_project(tmp_path, study=True)
    sandbox_apply(root)
    made = interrupt(
        root,
        "research/study@vs#acme",
    )
    blocked = json.loads(run(root, "plan", "--sandbox", "--json").stdout)["changes"]
    assert [(c["address"], c["action"]) for c in blocked] == [("research/study@vs#acme", "blocked")]
    result = run(root, "import", "--sandbox", "research/study@vs#acme", made)
    assert result.exit_code == 0
    assert "it settles the create an interrupted apply left pending" in result.output
    entry = sandbox_lock(root).entries["research/study@vs#acme"]
    assert entry.remote_id == made and entry.pending == []
    assert plan_clean(root)


def test_import_settling_an_interrupted_replacement_deposes_the_old_object(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path)
    sandbox_apply(root)
    made = interrupt(root, "eng/frontend@micro1", keep_id=True)
    assert run(root, "import", "--sandbox", "eng/frontend@micro1", made).exit_code == 0
    lock = sandbox_lock(root)
    assert lock.entries["eng/frontend@micro1"].remote_id == made
    assert lock.entries["eng/frontend@micro1~old-object-id"].pending == []
    changes = json.loads(run(root, "plan", "--sandbox", "--json").stdout)["changes"]
    assert [(c["address"], c["action"]) for c in changes] == [
        ("eng/frontend@micro1~old-object-id", "delete")
    ]


def test_import_refuses_an_object_carrying_another_creates_marker(tmp_path: Path) -> None:
    root = make_project(tmp_path, study=True)
    text = (root / "interviews/research/study.yaml").read_text()
    write(root, "interviews/research/study.yaml", text + "    - name: beta\n")
    sandbox_apply(root)
    interrupt(
        root,
        "research/study@vs#acme",
    )
    ids = forget(root, "research/study@vs#beta")
    write(root, "interviews/research/study.yaml", text)
    result = run(
        root, "import", "--sandbox", "research/study@vs#acme", ids["research/study@vs#beta"]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"{ids['research/study@vs#beta']} carries the ownership marker "
        "'interform:demo:research/study@vs#beta', but the interrupted create sent "
        "'interform:demo:research/study@vs#acme': it is another object — look for the object "
        "with the marker the create sent, and import that one\n"
    )
    assert sandbox_lock(root).entries["research/study@vs#acme"].remote_id is None


def test_lock_held_leaves_nothing_behind(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    sandbox_apply(root)
    ids = forget(root, "eng/frontend@micro1", delete=("interviews/eng/frontend.yaml",))
    with ApplyLock(root / SANDBOX_LOCK, "apply"):
        args = ("import", "--sandbox", "--generate", "eng/frontend@micro1")
        result = run(root, *args, ids["eng/frontend@micro1"])
    assert result.exit_code == 1 and "is locked by" in result.output
    assert not (root / "interviews/eng/frontend.yaml").exists()
    assert "eng/frontend@micro1" not in sandbox_lock(root).entries
