"""`interform refresh` against the in-process sandbox: drift made outside interform
(through the platforms' own APIs, as a dashboard would), objects deleted outside,
interrupted creates settled, and objects a lost CI run made rediscovered by marker."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from interform.apply.connect import Connections
from interform.lockfile.store import write_lockfile
from interform.providers.base import make_marker
from interform.sandbox import state_dir, transport
from interform.state.refresh import run_refresh
from interform.workspace import build_plan, open_workspace

from .support import JOBMOJITO_PROJECT, SUPPORT
from .test_state_support import (
    interrupt,
    make_project,
    run,
    sandbox_apply,
    sandbox_lock,
    write,
)

NOT_SEARCHED = (
    "Not searched for objects an interrupted apply left unrecorded (no ownership marker, "
    "or no way to list them): Instaview agents, Instaview sessions, Instaview webhooks, "
    "Versive participant interviews, Versive studies, micro1 interviews, micro1 webhooks."
)


def dashboard(root: Path, provider: str, account: str) -> httpx.Client:
    """What a person changing things in the platform's web UI amounts to: direct calls."""
    headers = (
        {"x-api-key": f"sandbox-{account}"}
        if provider == "micro1"
        else {"Authorization": f"Bearer sandbox-{account}"}
    )
    return httpx.Client(
        transport=transport(provider, state_dir=state_dir(root)),
        base_url="https://sandbox.test",
        headers=headers,
    )


def test_nothing_changed(tmp_path: Path) -> None:
    root = make_project(tmp_path, study=True)
    lock = sandbox_apply(root)
    result = run(root, "refresh", "--sandbox")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "No drift: every object read matches what interform applied.",
        "Read back 6 of 7 tracked objects.",
        "Versive studies cannot be read back: drift not checked (1).",
        NOT_SEARCHED,
    ]
    assert "Sandbox:" in result.stderr
    assert sandbox_lock(root) == lock  # nothing learnt: not even rewritten


def test_drift_and_deletions_made_outside_are_recorded_for_a_plain_apply(tmp_path: Path) -> None:
    """Item 7: refresh said "the next apply creates it again", yet a plain apply said
    "No changes"; once `apply --refresh` recreated it, a phantom delete of the old id
    followed, and `output` kept printing the dead link."""
    root = make_project(tmp_path)
    lock = sandbox_apply(root)
    backend, frontend = (lock.entries[f"eng/{n}@micro1"] for n in ("backend", "frontend"))
    agent = lock.entries["eng/backend@iv"]
    with dashboard(root, "micro1", "micro1") as micro1:
        body = {**(backend.request or {}), "interview_name": "Renamed in the web UI"}
        micro1.put(f"/interview/{backend.remote_id}", json=body).raise_for_status()
        micro1.delete(f"/interview/{frontend.remote_id}").raise_for_status()
    with dashboard(root, "instaview", "iv") as instaview:
        patch = {"focus": "SCREENING", "questions": ["Only one question now?"]}
        instaview.patch(f"/agents/{agent.remote_id}", json=patch).raise_for_status()
    result = run(root, "refresh", "--sandbox")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        f"`interform -C {root} plan --sandbox` shows what the next apply does about it."
    )
    assert result.stdout.splitlines()[:3] == [
        "~ eng/backend@iv: changed outside interform: focus, questions; the next apply "
        "puts the definition back",
        "~ eng/backend@micro1: changed outside interform: interview_name; the next apply puts "
        "the definition back",
        "- eng/frontend@micro1: gone from micro1 (deleted outside interform); "
        "the next apply creates it again",
    ]
    recorded = sandbox_lock(root).entries
    assert recorded["eng/backend@micro1"].drifted == ["interview_name"]
    assert recorded["eng/frontend@micro1"].gone and recorded["eng/frontend@micro1"].urls == {}
    dead = frontend.urls["invite_url"]
    assert dead not in run(root, "output", "--sandbox").stdout
    # a plain plan (no read-back) does what refresh said, and names the drift
    plan = json.loads(run(root, "plan", "--sandbox", "--json").stdout)
    changes = {c["address"]: c for c in plan["changes"]}
    assert {a: c["action"] for a, c in changes.items()} == {
        "eng/backend@iv": "update",
        "eng/backend@micro1": "update",
        "eng/frontend@micro1": "create",
    }
    assert "changed outside interform: interview_name" in changes["eng/backend@micro1"]["reason"]
    applied = run(root, "apply", "--sandbox", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    after = json.loads(run(root, "plan", "--sandbox", "--refresh", "--json").stdout)
    assert after["changes"] == []  # and no left-over delete of the gone interview
    entries = sandbox_lock(root).entries
    assert not [a for a in entries if "~" in a]
    assert entries["eng/frontend@micro1"].remote_id not in (None, frontend.remote_id)
    assert entries["eng/backend@micro1"].drifted == []


def test_a_gone_object_recreated_by_apply_refresh_leaves_no_phantom_delete(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path)
    lock = sandbox_apply(root)
    frontend = lock.entries["eng/frontend@micro1"]
    with dashboard(root, "micro1", "micro1") as micro1:
        micro1.delete(f"/interview/{frontend.remote_id}").raise_for_status()
    applied = run(root, "apply", "--sandbox", "--refresh", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    plan = json.loads(run(root, "plan", "--sandbox", "--json").stdout)
    assert plan["changes"] == []
    assert not [a for a in sandbox_lock(root).entries if "~" in a]


def test_a_gone_object_no_definition_asks_for_is_dropped(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    lock = sandbox_apply(root)
    frontend = lock.entries["eng/frontend@micro1"]
    (root / "interviews/eng/frontend.yaml").unlink()
    with dashboard(root, "micro1", "micro1") as micro1:
        micro1.delete(f"/interview/{frontend.remote_id}").raise_for_status()
    result = run(root, "refresh", "--sandbox")
    assert "- eng/frontend@micro1: gone from micro1 (deleted outside interform); the next " in (
        result.stdout
    )
    assert "the next apply drops its record" in result.stdout
    plan = json.loads(run(root, "plan", "--sandbox", "--json").stdout)
    assert [(c["address"], c["action"]) for c in plan["changes"]] == [
        ("eng/frontend@micro1", "forget")
    ]


def _pending(root: Path, address: str, *, made: bool) -> str:
    """What a killed apply leaves: an intent whose create did (`made`) or did not happen."""
    remote_id = interrupt(root, address)
    if not made:
        with dashboard(root, "micro1", "micro1") as micro1:
            micro1.delete(f"/interview/{remote_id}").raise_for_status()
    return remote_id


def test_interrupted_creates_are_settled(tmp_path: Path) -> None:
    root = make_project(tmp_path, study=True)
    sandbox_apply(root)
    made = _pending(root, "eng/backend@micro1", made=True)
    _pending(root, "eng/frontend@micro1", made=False)
    _pending(root, "research/study@vs#acme", made=True)  # Versive cannot list: undecidable
    result = run(root, "refresh", "--sandbox")
    assert result.exit_code == 0
    changes = [line for line in result.stdout.splitlines() if line[:1] in "<! "][:3]
    assert (
        changes[0] == f"<= eng/backend@micro1: an interrupted create did happen; recorded as {made}"
    )
    assert changes[1] == "  eng/frontend@micro1: an interrupted create did not happen"
    assert changes[2].startswith("! research/study@vs#acme: cannot tell whether an interrupted")
    hint = f"interform -C {root} import research/study@vs#acme REMOTE_ID --sandbox"
    assert changes[2].endswith(f"run `{hint}`")
    after = sandbox_lock(root)
    assert after.entries["eng/backend@micro1"].remote_id == made
    assert not after.entries["eng/backend@micro1"].pending
    assert "eng/frontend@micro1" not in after.entries
    assert after.entries["research/study@vs#acme"].pending
    plan = json.loads(run(root, "plan", "--sandbox", "--json").stdout)
    assert {c["address"]: c["action"] for c in plan["changes"]} == {
        "eng/frontend@micro1": "create",
        "research/study@vs#acme": "blocked",
    }


def _lost_ci_run(root: Path, address: str) -> str:
    """Create `address` on JobMojito the way apply does (marker included), then lose every
    record of it, as a CI runner's disk that went away with the job."""
    ws = open_workspace(root, sandbox=True)
    res = next(r for r in ws.desired if r.address == address)
    with Connections(ws) as connections:
        made = connections["jm"].create(res, make_marker("demo", address), None)
    return made.remote_id


def _jobmojito_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path)
    (root / "interform.yaml").write_text(JOBMOJITO_PROJECT)
    write(root, "interviews/support/specialist.yaml", SUPPORT)
    return root


def test_objects_a_lost_ci_run_made_are_rediscovered_not_duplicated(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "interform.yaml").write_text(JOBMOJITO_PROJECT)
    sandbox_apply(root)  # the lockfile as committed before the CI run
    write(root, "interviews/support/specialist.yaml", SUPPORT)
    made = _lost_ci_run(root, "support/specialist@jm")
    assert not _plan_is_empty(root)  # without refresh: a second interview would be made
    result = run(root, "refresh", "--sandbox")
    assert result.exit_code == 0
    assert (
        f"+ support/specialist@jm: found by its ownership marker as {made} (an apply made it); "
        "recorded"
    ) in result.stdout.splitlines()
    entry = sandbox_lock(root).entries["support/specialist@jm"]
    assert entry.remote_id == made and entry.marker == "interform:demo:support/specialist@jm"
    assert entry.source == "interviews/support/specialist.yaml"
    assert _plan_is_empty(root)
    again = run(root, "refresh", "--sandbox")  # nothing new the second time
    assert not any(line.startswith("+") for line in again.stdout.splitlines())


def test_a_second_marked_object_at_a_tracked_address_is_left_alone(tmp_path: Path) -> None:
    # a killed run's duplicate and another branch's object (applied before its merge)
    # look the same: removing it could destroy the branch's; the merge settles that one
    root = _jobmojito_project(tmp_path)
    tracked = sandbox_apply(root).entries["support/specialist@jm"].remote_id
    second = _lost_ci_run(root, "support/specialist@jm")
    result = run(root, "refresh", "--sandbox")
    assert result.exit_code == 0
    assert (
        f"? support/specialist@jm: found by its ownership marker as {second}, left alone: "
        f"support/specialist@jm is {tracked} (a second object from a branch not merged yet, "
        "or left over by a killed run; merging the branch keeps one and removes the other, a "
        "leftover you delete on the platform)"
    ) in result.stdout.splitlines()
    assert not [a for a in sandbox_lock(root).entries if "~" in a]
    assert _plan_is_empty(root)


def test_a_marked_object_this_checkout_does_not_define_is_left_alone(tmp_path: Path) -> None:
    # recorded, the next apply would delete it: a branch that applied it would lose it
    root = _jobmojito_project(tmp_path)
    made = _lost_ci_run(root, "support/specialist@jm")
    (root / "interviews" / "support" / "specialist.yaml").unlink()
    sandbox_apply(root)  # everything this checkout defines
    result = run(root, "refresh", "--sandbox")
    assert result.exit_code == 0
    assert (
        f"? support/specialist@jm: found by its ownership marker as {made}, left alone: this "
        "checkout does not define it (an apply on a branch not merged yet?); if it is left "
        "over, delete it on the platform"
    ) in result.stdout.splitlines()
    assert "support/specialist@jm" not in run(root, "state", "list", "--sandbox").stdout
    assert _plan_is_empty(root)


def test_objects_of_other_projects_are_left_alone(tmp_path: Path) -> None:
    root = _jobmojito_project(tmp_path)
    lock = sandbox_apply(root)
    ws = open_workspace(root, sandbox=True)
    res = next(r for r in ws.desired if r.address == "support/specialist@jm")
    with Connections(ws) as connections:
        connections["jm"].create(res, make_marker("someone-else", res.address), None)
    result = run(root, "refresh", "--sandbox")
    assert "1 object(s) carry another project's marker: left alone." in result.stdout
    assert sandbox_lock(root).entries.keys() == lock.entries.keys()


def test_objects_that_cannot_be_read_are_problems_and_nothing_is_recorded(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path)
    lock = sandbox_apply(root)

    def refused(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"status": False, "message": "Invalid API key"})

    def route(provider: str, target: str) -> httpx.BaseTransport | None:
        return httpx.MockTransport(refused) if provider == "micro1" else None

    report = run_refresh(open_workspace(root, sandbox=True), transport=route, sleep=lambda _: None)
    assert [str(p) for p in report.problems] == [
        f"eng/{name}@micro1: cannot read it back: micro1: HTTP 401: Invalid API key — check "
        "the target's credential and connectivity, then run `interform refresh` again"
        for name in ("backend", "frontend")
    ]
    assert report.lines()[:2] == [
        "No drift: every object read matches what interform applied.",
        "Read back 3 of 5 tracked objects.",
    ]
    assert sandbox_lock(root) == lock


def test_refresh_needs_every_credential_up_front(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    write_lockfile(root / "interform.lock", sandbox_apply(root))
    result = run(root, "refresh", env={"MICRO1_API_KEY": "", "INSTAVIEW_API_KEY": ""})
    assert result.exit_code == 1
    assert "environment variable INSTAVIEW_API_KEY is not set" in result.output
    assert "environment variable MICRO1_API_KEY is not set" in result.output


def _plan_is_empty(root: Path) -> bool:
    ws = open_workspace(root, sandbox=True)
    return not build_plan(ws).has_changes
