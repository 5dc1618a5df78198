"""Instaview jobs and candidates as managed objects, through the CLI against the sandbox:
one job per definition shared by its sessions, a candidate made once per session and
kept when the session is replaced, both removed by destroy (children first), older
lockfiles that held them inline taken over without making them again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from interform.lockfile.store import read_lockfile
from project_files import INLINE_JOB, SMOKE_SESSION, backend, run

from .support import make_project, remote_objects, sandbox_lock

SECOND_SESSION = """\
    - name: second
      is_test: true
      candidate:
        first_name: Second
        last_name: Candidate
        email: second@example.com
        gdpr_expiry_date: 2030-12-31
"""
TWO_SESSIONS = backend(INLINE_JOB + SMOKE_SESSION + SECOND_SESSION)


def instaview(root: Path) -> dict[str, list[dict[str, Any]]]:
    """What the Instaview sandbox account holds, by kind."""
    found: dict[str, list[dict[str, Any]]] = {}
    for (platform, _), objects in remote_objects(root).items():
        if platform == "instaview":
            for key, obj in objects.items():
                found.setdefault(key.split("/", 1)[0], []).append(obj)
    return found


def counts(root: Path) -> dict[str, int]:
    return {kind: len(objs) for kind, objs in sorted(instaview(root).items()) if objs}


def apply(root: Path, *args: str) -> str:
    result = run(root, "apply", "--sandbox", "--auto-approve", *args)
    assert result.exit_code == 0, result.output
    return result.output


def plan(root: Path, *args: str) -> str:
    result = run(root, "--no-color", "plan", "--sandbox", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_one_job_shared_by_every_session_and_one_candidate_each(tmp_path: Path) -> None:
    make_project(tmp_path, **{"eng/backend": TWO_SESSIONS})
    apply(tmp_path)
    held = instaview(tmp_path)
    assert counts(tmp_path) == {"agent": 1, "candidate": 2, "job": 1, "session": 2}
    (job,) = held["job"]
    assert {s["jobId"] for s in held["session"]} == {job["id"]}
    assert job["metadata"] == {"interform": "interform:demo:eng/backend@iv#:job"}
    for candidate in held["candidate"]:
        assert candidate["jobIds"] == [job["id"]]
        assert candidate["metadata"]["interform"].startswith("interform:demo:eng/backend@iv#")
    entries = sandbox_lock(tmp_path).entries
    assert entries["eng/backend@iv#:job"].remote_id == job["id"]
    assert entries["eng/backend@iv#smoke"].request["jobId"] == job["id"]  # type: ignore[index]
    smoke_candidate = entries["eng/backend@iv#smoke:candidate"].remote_id
    assert entries["eng/backend@iv#smoke"].request["candidateId"] == smoke_candidate  # type: ignore[index]
    assert "No changes" in plan(tmp_path)


def test_plan_shows_the_job_and_candidates_before_the_sessions(tmp_path: Path) -> None:
    make_project(tmp_path, **{"eng/backend": TWO_SESSIONS})
    shown = plan(tmp_path, "--target", "eng/backend@iv*")
    order = [
        shown.index(f"+ {address}")
        for address in (
            "eng/backend@iv ",
            "eng/backend@iv#:job",
            "eng/backend@iv#second:candidate",
            "eng/backend@iv#smoke:candidate",
            "eng/backend@iv#second ",
        )
    ]
    assert order == sorted(order), shown
    assert 'jobId: "(known after apply)"' in shown


def test_a_replaced_session_keeps_its_candidate(tmp_path: Path) -> None:
    make_project(tmp_path, **{"eng/backend": TWO_SESSIONS})
    apply(tmp_path)
    before = sandbox_lock(tmp_path).entries
    apply(tmp_path, "-replace=eng/backend@iv#smoke")
    after = sandbox_lock(tmp_path).entries
    assert after["eng/backend@iv#smoke"].remote_id != before["eng/backend@iv#smoke"].remote_id
    candidate = before["eng/backend@iv#smoke:candidate"].remote_id
    assert after["eng/backend@iv#smoke:candidate"].remote_id == candidate
    assert counts(tmp_path) == {"agent": 1, "candidate": 2, "job": 1, "session": 2}


def test_the_job_and_a_candidate_update_in_place(tmp_path: Path) -> None:
    make_project(tmp_path, **{"eng/backend": TWO_SESSIONS})
    apply(tmp_path)
    before = sandbox_lock(tmp_path).entries
    edited = TWO_SESSIONS.replace("Payments platform team.", "Payments and billing.").replace(
        "first_name: Second", "first_name: Secunda"
    )
    make_project(tmp_path, **{"eng/backend": edited})
    shown = plan(tmp_path)
    assert "~ eng/backend@iv#:job" in shown and "~ eng/backend@iv#second:candidate" in shown
    assert "-/+" not in shown  # no session is replaced for it
    apply(tmp_path)
    after = sandbox_lock(tmp_path).entries
    assert {a: e.remote_id for a, e in after.items()} == {a: e.remote_id for a, e in before.items()}
    (job,) = instaview(tmp_path)["job"]
    assert job["description"] == "Payments and billing."
    assert job["metadata"] == {"interform": "interform:demo:eng/backend@iv#:job"}
    assert "No changes" in plan(tmp_path)


def test_a_cleared_agent_setting_is_a_replacement_not_a_null(tmp_path: Path) -> None:
    with_voice = backend("  voice_id: ALEX\n  duration: 20\n" + INLINE_JOB + SMOKE_SESSION)
    make_project(tmp_path, **{"eng/backend": with_voice})
    apply(tmp_path)
    make_project(tmp_path, **{"eng/backend": backend(INLINE_JOB + SMOKE_SESSION)})
    shown = plan(tmp_path)
    assert "voiceId cannot be cleared in place" in shown, shown
    assert "-/+ eng/backend@iv " in shown or "-/+ eng/backend@iv\n" in shown
    apply(tmp_path)
    (agent,) = instaview(tmp_path)["agent"]
    assert agent.get("voiceId") is None and agent.get("duration") is None
    assert "No changes" in plan(tmp_path)


def test_destroy_leaves_nothing_interform_made_on_instaview(tmp_path: Path) -> None:
    make_project(tmp_path, **{"eng/backend": TWO_SESSIONS})
    apply(tmp_path)
    apply(tmp_path, "-replace=eng/backend@iv#second")
    assert counts(tmp_path)["candidate"] == 2
    result = run(tmp_path, "destroy", "--sandbox", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert counts(tmp_path) == {}
    assert not sandbox_lock(tmp_path).entries


def test_removing_the_sessions_removes_their_candidates_then_the_job(tmp_path: Path) -> None:
    make_project(tmp_path, **{"eng/backend": TWO_SESSIONS})
    apply(tmp_path)
    make_project(
        tmp_path,
        **{"eng/backend": backend("  job_id: " + "0" * 8 + "-0000-4000-8000-" + "0" * 12 + "\n")},
    )
    shown = plan(tmp_path, "--target", "eng/backend@iv*")
    assert "- eng/backend@iv#:job" in shown and "- eng/backend@iv#smoke:candidate" in shown


def test_an_older_lockfile_with_inline_objects_is_taken_over(tmp_path: Path) -> None:
    """A session recorded the way interform recorded it before jobs and candidates were
    managed: the plan records them where they are now, makes nothing again, and replaces
    no session; destroy then removes them too."""
    make_project(tmp_path, **{"eng/backend": backend(INLINE_JOB + SMOKE_SESSION)})
    apply(tmp_path)
    path = tmp_path / ".interform" / "sandbox" / "interform.lock"
    data = json.loads(path.read_text())
    entries = data["entries"]
    job = entries.pop("eng/backend@iv#:job")
    candidate = entries.pop("eng/backend@iv#smoke:candidate")
    session = entries["eng/backend@iv#smoke"]
    assert session["private"]["job_id"] == job["remote_id"]
    assert session["urls"]["candidate_id"] == candidate["remote_id"]
    inline = {k: v for k, v in session["request"].items() if k not in ("jobId", "candidateId")}
    inline["job"] = job["request"]
    inline["candidate"] = {k: v for k, v in candidate["request"].items() if k != "jobId"}
    session["request"] = inline
    from interform.digest import body_digest

    session["digest"] = body_digest(inline)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")

    upgraded = read_lockfile(path)
    assert upgraded is not None
    assert upgraded.entries["eng/backend@iv#:job"].remote_id == job["remote_id"]
    shown = plan(tmp_path)
    assert "+ eng/backend@iv#:job" not in shown and "-/+" not in shown, shown
    apply(tmp_path)
    assert counts(tmp_path) == {"agent": 1, "candidate": 1, "job": 1, "session": 1}
    result = run(tmp_path, "destroy", "--sandbox", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert counts(tmp_path) == {}
