"""`state list|show|rm|mv|unprotect`, `output` and `force-unlock` on a project applied to
the in-process sandbox: exact output, the lockfile after each change, refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from interform.lockfile.journal import Journal
from interform.lockfile.lock import ApplyLock, lock_path, read_lock
from interform.lockfile.model import Lockfile, Pending
from interform.lockfile.store import journal_path, write_lockfile

from .test_state_support import (
    SANDBOX_LOCK,
    interrupt,
    make_project,
    run,
    sandbox_apply,
    sandbox_lock,
)

ALL = [
    "eng/backend@iv",
    "eng/backend@iv#smoke",
    "eng/backend@iv#smoke:candidate",
    "eng/backend@micro1",
    "eng/frontend@micro1",
    "research/study@vs",
    "research/study@vs#acme",
]


@pytest.fixture
def applied(tmp_path: Path) -> tuple[Path, Lockfile]:
    root = make_project(tmp_path, study=True)
    return root, sandbox_apply(root)


def test_list_prints_every_address_and_filters_like_plan_target(
    applied: tuple[Path, Lockfile],
) -> None:
    root, _ = applied
    assert run(root, "state", "list", "--sandbox").output == "".join(f"{a}\n" for a in ALL)
    narrowed = run(root, "state", "list", "--sandbox", "eng/*", "--", "*@vs#*")
    assert narrowed.output == "".join(f"{a}\n" for a in ALL if a != "research/study@vs")
    # without --sandbox it is the committed lockfile, which holds nothing yet
    assert run(root, "state", "list").output == ""
    assert run(root, "state", "list", env={"INTERFORM_SANDBOX": "1"}).output.count("\n") == len(ALL)


def test_show_prints_the_entry(applied: tuple[Path, Lockfile]) -> None:
    root, lock = applied
    session, agent = lock.entries["eng/backend@iv#smoke"], lock.entries["eng/backend@iv"]
    result = run(root, "state", "show", "--sandbox", "eng/backend@iv#smoke")
    request = json.dumps(session.request, indent=2, sort_keys=True).splitlines()
    assert result.output.splitlines() == [
        "address:    eng/backend@iv#smoke",
        "kind:       Instaview session on target iv",
        f"remote id:  {session.remote_id}",
        f"parent:     eng/backend@iv ({agent.remote_id})",
        "source:     interviews/eng/backend.yaml",
        "created:    2026-11-23T10:00:00Z",
        "updated:    2026-11-23T10:00:00Z",
        "protect:    no",
        "removal:    delete (the platform's)",
        "marker:     interform:demo:eng/backend@iv#smoke",
        f"digest:     {session.digest}",
        "links:",
        f"  candidate_id: {session.urls['candidate_id']}",
        "  status: COMPLETED",
        "request:",
        *(f"  {line}" for line in request),
    ]
    as_json = json.loads(run(root, "state", "show", "--sandbox", "--json", "eng/backend@iv").output)
    assert as_json["address"] == "eng/backend@iv"
    assert as_json["remote_id"] == agent.remote_id and as_json["request"] == agent.request


def test_show_unknown_address_is_a_user_error(applied: tuple[Path, Lockfile]) -> None:
    root, _ = applied
    result = run(root, "state", "show", "--sandbox", "eng/nope@micro1")
    assert result.exit_code == 1
    assert result.output == (
        f"eng/nope@micro1 is not in the lockfile — `interform -C {root} state list --sandbox` "
        "shows what is tracked\n"
    )


def test_output_lists_links_and_ids(applied: tuple[Path, Lockfile]) -> None:
    root, lock = applied
    e = lock.entries
    result = run(root, "output", "--sandbox")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"eng/backend@iv: Instaview agent {e['eng/backend@iv'].remote_id}",
        f"eng/backend@iv#smoke: Instaview session {e['eng/backend@iv#smoke'].remote_id}",
        f"  candidate_id: {e['eng/backend@iv#smoke'].urls['candidate_id']}",
        "  status: COMPLETED",
        "eng/backend@iv#smoke:candidate: Instaview candidate "
        f"{e['eng/backend@iv#smoke:candidate'].remote_id}",
        f"eng/backend@micro1: micro1 interview {e['eng/backend@micro1'].remote_id}",
        f"  invite_url: https://interview.micro1.ai/intro/micro1?uid={e['eng/backend@micro1'].remote_id}",
        f"eng/frontend@micro1: micro1 interview {e['eng/frontend@micro1'].remote_id}",
        f"  invite_url: https://interview.micro1.ai/intro/micro1?uid={e['eng/frontend@micro1'].remote_id}",
        f"research/study@vs: Versive study {e['research/study@vs'].remote_id}",
        "research/study@vs#acme: Versive participant interview "
        f"{e['research/study@vs#acme'].remote_id}",
        f"  link: https://getversive.com/s/{e['research/study@vs'].remote_id}"
        f"?vid={e['research/study@vs#acme'].urls['link'].split('vid=')[1]}",
    ]
    assert "Sandbox:" in result.stderr


def test_output_json_is_documented_shape(applied: tuple[Path, Lockfile]) -> None:
    root, lock = applied
    data = json.loads(run(root, "output", "--sandbox", "--json", "*@micro1").stdout)
    assert data == {
        "version": 1,
        "sandbox": True,
        "outputs": {
            address: {
                "target": "micro1",
                "provider": "micro1",
                "kind": "interview",
                "remote_id": lock.entries[address].remote_id,
                "links": lock.entries[address].urls,
                "pending": False,
            }
            for address in ("eng/backend@micro1", "eng/frontend@micro1")
        },
    }


def test_output_marks_pending_creates_and_leaves_out_deposed_objects(
    applied: tuple[Path, Lockfile],
) -> None:
    root, lock = applied
    frontend = lock.entries["eng/frontend@micro1"]
    op = Pending(op="create", started_at="2026-11-23T09:00:00Z", request=frontend.request)
    lock.entries["eng/frontend@micro1"] = frontend.model_copy(
        update={"remote_id": None, "urls": {}, "pending": [op]}
    )
    old = lock.entries["eng/backend@micro1"].model_copy(update={"remote_id": "old-id"})
    lock.entries["eng/backend@micro1~old-id"] = old
    write_lockfile(root / SANDBOX_LOCK, lock)
    result = run(root, "output", "--sandbox", "*@micro1")
    backend = lock.entries["eng/backend@micro1"]
    assert result.stdout.splitlines() == [
        f"eng/backend@micro1: micro1 interview {backend.remote_id}",
        f"  invite_url: {backend.urls['invite_url']}",
        "eng/frontend@micro1: micro1 interview (create interrupted)",
        f"  pending: create (run `interform -C {root} plan --sandbox` to see how it is resolved)",
    ]
    data = json.loads(run(root, "output", "--sandbox", "--json", "*@micro1").stdout)
    assert data["outputs"]["eng/frontend@micro1"]["pending"] is True
    assert data["outputs"]["eng/frontend@micro1"]["remote_id"] is None
    assert sorted(data["outputs"]) == ["eng/backend@micro1", "eng/frontend@micro1"]
    listed = run(root, "state", "list", "--sandbox", "*@micro1").output.splitlines()
    assert listed == ["eng/backend@micro1", "eng/backend@micro1~old-id", "eng/frontend@micro1"]
    shown = run(root, "state", "show", "--sandbox", "eng/backend@micro1~old-id").output
    assert shown.splitlines()[1] == (
        "deposed:    left over from a replacement; the next apply removes it"
    )


def test_output_without_a_lockfile(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = run(root, "output")
    assert result.exit_code == 0
    assert result.output == f"Nothing is tracked yet: run `interform -C {root} apply` first.\n"


def test_rm_stops_tracking_and_leaves_the_remote_object(applied: tuple[Path, Lockfile]) -> None:
    root, lock = applied
    remote_id = lock.entries["eng/frontend@micro1"].remote_id
    result = run(root, "state", "rm", "--sandbox", "eng/frontend@micro1")
    assert result.exit_code == 0
    assert result.output == (
        f"eng/frontend@micro1: no longer tracked; the micro1 interview {remote_id} stays on "
        "micro1, untouched\n"
    )
    after = sandbox_lock(root)
    assert sorted(after.entries) == [a for a in ALL if a != "eng/frontend@micro1"]
    # untracked, the interview still on the platform would be created a second time
    plan = run(root, "plan", "--sandbox", "--json")
    changes = json.loads(plan.stdout)["changes"]
    assert [(c["address"], c["action"]) for c in changes] == [("eng/frontend@micro1", "create")]


def test_rm_refuses_a_parent_without_its_sessions_and_unknown_addresses(
    applied: tuple[Path, Lockfile],
) -> None:
    root, lock = applied
    result = run(root, "state", "rm", "--sandbox", "eng/backend@iv", "eng/nope@iv")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        ".interform/sandbox/interform.lock: eng/backend@iv has sessions that would stay "
        "tracked without it: eng/backend@iv#smoke, eng/backend@iv#smoke:candidate — name "
        "them in the same command to stop tracking them too",
        ".interform/sandbox/interform.lock: eng/nope@iv is not in the lockfile — "
        f"`interform -C {root} state list --sandbox` shows what is tracked",
    ]
    assert sandbox_lock(root) == lock  # nothing written
    both = run(
        root,
        "state",
        "rm",
        "--sandbox",
        "eng/backend@iv",
        "eng/backend@iv#smoke",
        "eng/backend@iv#smoke:candidate",
    )
    assert both.exit_code == 0 and both.output.count("no longer tracked") == 3


def test_rm_of_an_interrupted_replacement_keeps_the_object_it_was_replacing(
    applied: tuple[Path, Lockfile],
) -> None:
    """The documented fix for a blocked replacement must not orphan the old object."""
    root, _ = applied
    interrupt(root, "eng/backend@micro1", keep_id=True)
    result = run(root, "state", "rm", "--sandbox", "eng/backend@micro1")
    assert result.exit_code == 0
    assert result.output == (
        "eng/backend@micro1: dropped the interrupted create of its replacement (if that micro1 "
        "interview exists, it stays on micro1 unmanaged); old-object-id stays tracked, "
        f"so the next apply replaces it again. Run `interform -C {root} state rm "
        "eng/backend@micro1 --sandbox` once more to stop tracking it too\n"
    )
    after = sandbox_lock(root).entries["eng/backend@micro1"]
    assert after.remote_id == "old-object-id" and after.pending == []
    again = run(root, "state", "rm", "--sandbox", "eng/backend@micro1")
    assert "no longer tracked" in again.output
    assert "eng/backend@micro1" not in sandbox_lock(root).entries


def test_rm_repairs_an_object_tracked_at_two_addresses(applied: tuple[Path, Lockfile]) -> None:
    root, lock = applied
    backend = lock.entries["eng/backend@micro1"]
    lock.entries["eng/frontend@micro1"] = lock.entries["eng/frontend@micro1"].model_copy(
        update={"remote_id": backend.remote_id}
    )
    write_lockfile(root / SANDBOX_LOCK, lock)
    refused = run(root, "plan", "--sandbox")
    assert refused.exit_code == 1
    assert (
        f"eng/frontend@micro1 and eng/backend@micro1 track the same remote object "
        f"{backend.remote_id}" in refused.output
    )
    assert f"`interform -C {root} state rm eng/frontend@micro1 --sandbox`" in refused.output
    fixed = run(root, "state", "rm", "--sandbox", "eng/frontend@micro1")
    assert fixed.exit_code == 0, fixed.output
    plan = json.loads(run(root, "plan", "--sandbox", "--json").stdout)
    assert [(c["address"], c["action"]) for c in plan["changes"]] == [
        ("eng/frontend@micro1", "create")
    ]


def test_mv_rekeys_sessions_and_the_plan_follows(applied: tuple[Path, Lockfile]) -> None:
    root, lock = applied
    (root / "interviews/eng/backend.yaml").rename(root / "interviews/eng/server.yaml")
    result = run(root, "state", "mv", "--sandbox", "eng/backend@iv", "eng/server@iv")
    assert result.output == (
        "Moved:\n  eng/backend@iv → eng/server@iv\n  eng/backend@iv#smoke → eng/server@iv#smoke\n"
        "  eng/backend@iv#smoke:candidate → eng/server@iv#smoke:candidate\n"
    )
    after = sandbox_lock(root)
    moved = after.entries["eng/server@iv#smoke"]
    assert moved.interview == "eng/server" and moved.parent == "eng/server@iv"
    assert moved.remote_id == lock.entries["eng/backend@iv#smoke"].remote_id
    run(root, "state", "mv", "--sandbox", "eng/backend@micro1", "eng/server@micro1")
    assert "No changes." in run(root, "plan", "--sandbox").output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("eng/nope@iv", "eng/x@iv", "eng/nope@iv is not in the lockfile"),
        ("eng/backend@iv", "eng/x@micro1", "eng/x@micro1 is on another target than eng/backend@iv"),
        ("eng/backend@iv", "eng/x@iv#s", "are different kinds of object"),
        ("eng/backend@micro1", "eng/frontend@micro1", "eng/frontend@micro1 is already tracked"),
        ("eng/backend@micro1", "Bad Address", "is not an address"),
    ],
)
def test_mv_refusals(applied: tuple[Path, Lockfile], old: str, new: str, message: str) -> None:
    root, lock = applied
    result = run(root, "state", "mv", "--sandbox", old, new)
    assert result.exit_code == 1 and message in result.output
    assert sandbox_lock(root) == lock


def test_unprotect_lets_a_deleted_protected_definition_go(tmp_path: Path) -> None:
    root = make_project(tmp_path, protect=True)
    sandbox_apply(root)
    (root / "interviews/eng/backend.yaml").unlink()
    refused = run(root, "plan", "--sandbox")
    assert refused.exit_code == 1 and "is protected and would be removed" in refused.output
    result = run(root, "state", "unprotect", "--sandbox", "eng/backend@micro1", "eng/backend@iv")
    assert result.output == (
        "eng/backend@micro1: no longer protected; a plan may now remove or replace it\n"
        "eng/backend@iv: no longer protected; a plan may now remove or replace it\n"
    )
    again = run(root, "state", "unprotect", "--sandbox", "eng/backend@micro1")
    assert again.output == "eng/backend@micro1: was not protected\n"
    still = run(root, "plan", "--sandbox")  # the session is still protected
    assert still.exit_code == 1 and "eng/backend@iv#smoke is protected" in still.output
    run(root, "state", "unprotect", "--sandbox", "eng/backend@iv#smoke")
    run(root, "state", "unprotect", "--sandbox", "eng/backend@iv#smoke:candidate")
    plan = json.loads(run(root, "plan", "--sandbox", "--json").stdout)
    assert sorted(c["action"] for c in plan["changes"]) == ["delete"] * 4


def test_mutations_fold_a_leftover_journal_first(applied: tuple[Path, Lockfile]) -> None:
    root, lock = applied
    path = root / SANDBOX_LOCK
    journal = Journal(journal_path(path), lock)
    journal.removed("eng/frontend@micro1")  # an apply that was killed after this removal
    journal.close()
    run(root, "state", "rm", "--sandbox", "eng/backend@micro1")
    assert not journal_path(path).exists()
    assert sorted(sandbox_lock(root).entries) == [
        a for a in ALL if a not in ("eng/frontend@micro1", "eng/backend@micro1")
    ]


def test_mutations_wait_for_or_refuse_a_held_lock(applied: tuple[Path, Lockfile]) -> None:
    root, lock = applied
    with ApplyLock(root / SANDBOX_LOCK, "apply") as held:
        assert held.info is not None
        result = run(root, "state", "rm", "--sandbox", "eng/frontend@micro1")
        assert result.exit_code == 1
        assert f"lock id {held.info.id}" in result.output and "`apply`" in result.output
    assert sandbox_lock(root) == lock
    assert not lock_path(root / SANDBOX_LOCK).exists()


def _dead_lock(lockfile: Path) -> str:
    code = (
        "import os, sys; from pathlib import Path; from interform.lockfile.lock import ApplyLock;"
        "ApplyLock(Path(sys.argv[1]), 'apply').acquire(); os._exit(0)"
    )
    lockfile.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-c", code, str(lockfile)], check=True)
    info = read_lock(lock_path(lockfile))
    assert info is not None
    return info.id


def test_a_lock_left_by_a_killed_process_is_broken_automatically(
    applied: tuple[Path, Lockfile],
) -> None:
    root, _ = applied
    lock_id = _dead_lock(root / SANDBOX_LOCK)
    result = run(root, "state", "rm", "--sandbox", "eng/frontend@micro1")
    assert result.exit_code == 0, result.output
    assert "Broke the apply lock of " in result.stderr and f"lock id {lock_id}" in result.stderr
    assert "is not running." in result.stderr
    assert not lock_path(root / SANDBOX_LOCK).exists()


def _stale_lock(lockfile: Path) -> str:
    """A lock taken on another machine whose lease ran out: nothing here can check it."""
    lock_id = _dead_lock(lockfile)
    path = lock_path(lockfile)
    data = json.loads(path.read_text())
    data.update(host="ci-runner-7", lease=0, lease_until=time.time() - 60)
    path.write_text(json.dumps(data))
    return lock_id


def test_force_unlock_breaks_a_stale_lock(applied: tuple[Path, Lockfile]) -> None:
    root, _ = applied
    lock_id = _stale_lock(root / SANDBOX_LOCK)
    blocked = run(root, "state", "rm", "--sandbox", "eng/frontend@micro1")
    unlock = f"interform -C {root} force-unlock {lock_id} --sandbox"
    assert blocked.exit_code == 1 and unlock in blocked.output
    assert "lease expired" in blocked.output
    wrong = run(root, "force-unlock", "--sandbox", "0123456789ab")
    assert wrong.exit_code == 1 and f"held by lock {lock_id}" in wrong.output
    result = run(root, "force-unlock", "--sandbox", lock_id)
    assert result.exit_code == 0
    assert result.output.startswith(f"Released lock {lock_id} of .interform/sandbox/interform.lock")
    assert not lock_path(root / SANDBOX_LOCK).exists()
    assert run(root, "state", "rm", "--sandbox", "eng/frontend@micro1").exit_code == 0


def test_force_unlock_refuses_a_live_lock_without_force(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    with ApplyLock(root / "interform.lock", "apply") as held:
        assert held.info is not None
        refused = run(root, "force-unlock", held.info.id)
        assert refused.exit_code == 1 and "still looks alive" in refused.output
        assert "can create the same objects twice" in refused.output
        assert lock_path(root / "interform.lock").exists()
        assert run(root, "force-unlock", "--force", held.info.id).exit_code == 0
        assert not lock_path(root / "interform.lock").exists()
    nothing = run(root, "force-unlock", "abc")
    assert nothing.exit_code == 1 and "is not locked" in nothing.output


def test_state_commands_work_when_a_definition_is_broken(applied: tuple[Path, Lockfile]) -> None:
    root, _ = applied
    (root / "interviews/eng/frontend.yaml").write_text("title: [unclosed\n")
    assert run(root, "plan", "--sandbox").exit_code == 1
    assert run(root, "state", "list", "--sandbox").output.count("\n") == len(ALL)
    assert run(root, "state", "rm", "--sandbox", "eng/frontend@micro1").exit_code == 0


def test_no_credential_reaches_the_output(applied: tuple[Path, Lockfile]) -> None:
    root, _ = applied
    env = {**os.environ, "MICRO1_API_KEY": "sandbox-micro1"}
    for args in (("state", "list"), ("output", "--json"), ("state", "show", "eng/backend@micro1")):
        assert "sandbox-micro1" not in run(root, *args, "--sandbox", env=env).output
