"""The apply engine against the in-process sandbox emulators: order, failures and their
dependents, parallelism, checkpoints, and what apply prints."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

from interform.apply.console import Console
from interform.apply.run import ApplyRequest, run_apply
from interform.lockfile.store import journal_path
from interform.workspace import SANDBOX_LOCKFILE

from .support import (
    FRONTEND,
    STUDY,
    Tap,
    apply_with,
    make_project,
    remote_objects,
    run,
    sandbox_lock,
    write_definition,
)


def micro1_interviews(root: Path) -> list[dict[str, object]]:
    objects = remote_objects(root).get(("micro1", "micro1"), {})
    return [obj for key, obj in objects.items() if key.startswith("interview/")]


def copies(count: int) -> dict[str, str]:
    return {
        f"many/frontend-{i}": FRONTEND.replace("Frontend engineer", f"Frontend {i}")
        for i in range(count)
    }


def test_first_apply_creates_everything_then_the_plan_is_empty(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = run(root, "apply", "--sandbox", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "Apply complete against the sandbox" in result.output
    assert "9 created" in result.output
    assert re.search(
        r"eng/backend@micro1  invite_url: https://interview\.micro1\.ai/", result.output
    )
    assert re.search(r"research/study@vs#acme  link: https://getversive\.com/s/", result.output)
    assert (
        "Convergence check: read back 8 of 9 changed objects: Versive studies cannot be read; "
        "the plan is empty." in result.output
    )
    lock = sandbox_lock(root)
    assert all(e.remote_id and not e.pending for e in lock.entries.values())
    assert not journal_path(root / SANDBOX_LOCKFILE).exists()
    again = run(root, "plan", "--sandbox")
    assert "No changes." in again.output, again.output


def test_sessions_go_after_their_interview_and_removals_last(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert apply_with(root)[0] == 0
    # the study's title forces a new study, so its sessions follow it; frontend goes
    write_definition(root, "research/study", STUDY.replace("Onboarding study", "Onboarding"))
    write_definition(root, "eng/frontend", "")
    old = sandbox_lock(root).entries["eng/frontend@micro1"].remote_id
    tap = Tap(root)
    code, output = apply_with(root, tap)
    assert code == 0, output
    calls = [(m, p) for _, m, p in tap.log if m != "GET"]
    study = calls.index(("POST", "/api/v1/studies"))
    sessions = [i for i, c in enumerate(calls) if c == ("POST", "/api/v1/interviews")]
    assert len(sessions) == 2 and study < min(sessions)
    assert calls[-1] == ("DELETE", f"/interview/{old}")
    assert "eng/frontend@micro1" not in sandbox_lock(root).entries


def test_a_replace_creates_the_new_object_before_removing_the_old(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert apply_with(root)[0] == 0
    old = sandbox_lock(root).entries["eng/backend@iv#smoke"].remote_id
    backend = (root / "interviews/eng/backend.yaml").read_text()
    write_definition(root, "eng/backend", backend.replace("is_test: true", "is_test: false"))
    tap = Tap(root)
    code, output = apply_with(root, tap)
    assert code == 0, output
    calls = [(m, p) for _, m, p in tap.log if m != "GET"]
    assert calls == [("POST", "/interviews"), ("DELETE", f"/interviews/{old}")]
    lock = sandbox_lock(root)
    assert lock.entries["eng/backend@iv#smoke"].remote_id != old
    assert not [a for a in lock.entries if "~" in a]


def test_dependents_of_a_failure_are_skipped_and_the_rest_goes_on(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    tap = Tap(root)
    tap.rules.append(lambda t, r: "reject" if r.url.path == "/api/v1/studies" else None)
    code, output = apply_with(root, tap)
    assert code == 1
    assert "research/study@vs: failed: versive: HTTP 422" in output
    assert "rejected by the test" in output
    for session in ("research/study@vs#acme", "research/study@vs#fjord"):
        assert f"{session}: skipped: it needs research/study@vs, which failed" in output
    assert "Apply incomplete against the sandbox" in output and "6 created" in output
    lock = sandbox_lock(root)
    assert sorted(lock.entries) == [
        "eng/backend@iv",
        "eng/backend@iv#:job",
        "eng/backend@iv#smoke",
        "eng/backend@iv#smoke:candidate",
        "eng/backend@micro1",
        "eng/frontend@micro1",
    ]
    assert tap.posts("vs") == ["/api/v1/studies"]  # no session was attempted


def test_parallelism_bounds_the_requests_in_flight(tmp_path: Path) -> None:
    root = make_project(tmp_path, **copies(12))
    serial = Tap(root, delay=0.02)
    write_definition(root, "research/study", "")
    assert apply_with(root, serial, parallelism=1, converge=False)[0] == 0
    assert serial.most_in_flight == 1
    for i in range(12):
        write_definition(root, f"many/frontend-{i}", "")
    wide = Tap(root, delay=0.05)
    assert apply_with(root, wide, parallelism=6, converge=False)[0] == 0
    assert len([m for _, m, _ in wide.log if m == "DELETE"]) == 12
    assert 2 <= wide.most_in_flight <= 6


class SlowOutput(io.StringIO):
    """Output that takes 60 ms per change line and notes how many requests had gone out
    by then (a terminal or CI log that lags, or a main thread starved of the GIL)."""

    def __init__(self, tap: Tap) -> None:
        super().__init__()
        self.tap = tap
        self.sent_at_line: list[int] = []

    def write(self, text: str) -> int:
        if text.startswith("+ "):
            time.sleep(0.06)
            self.sent_at_line.append(len(self.tap.posts("micro1")))
        return super().write(text)


def test_workers_go_on_while_the_main_thread_lags(tmp_path: Path) -> None:
    root = make_project(tmp_path, **copies(12))
    tap = Tap(root, delay=0.02)
    out = SlowOutput(tap)
    request = ApplyRequest(
        sandbox=True, auto_approve=True, transport=tap.factory, parallelism=4, converge=False
    )
    assert run_apply(request, Console(out, out, bar=False), start=root) == 0
    # 14 micro1 creates (none waits for another) on 4 workers take 4 rounds of 20 ms;
    # printing a line takes 60 ms
    assert out.sent_at_line[2] == len(tap.posts("micro1")) == 14, out.sent_at_line


def test_an_answer_lost_after_the_create_is_adopted_not_created_twice(tmp_path: Path) -> None:
    root = make_project(tmp_path, **{"eng/backend": "", "research/study": ""})
    tap = Tap(root)
    tap.rules.append(lambda t, r: "drop" if r.method == "POST" else None)
    code, output = apply_with(root, tap)
    assert code == 1
    assert "eng/frontend@micro1: uncertain: micro1: no response ReadTimeout" in output
    assert "Outcome unknown (checked on the next plan or apply, never created twice)" in output
    entry = sandbox_lock(root).entries["eng/frontend@micro1"]
    assert entry.remote_id is None
    assert [p.op for p in entry.pending] == ["create"]
    assert entry.pending[0].request is not None
    offline = run(root, "plan", "--sandbox")
    hint = f"interform -C {root} import eng/frontend@micro1 REMOTE_ID --sandbox"
    assert hint in offline.output
    code, output = apply_with(root, Tap(root))
    assert code == 0, output
    assert "eng/frontend@micro1: adopted" in output
    assert len(micro1_interviews(root)) == 1
    assert sandbox_lock(root).entries["eng/frontend@micro1"].remote_id is not None


def test_without_a_terminal_or_auto_approve_apply_exits_4(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = run(root, "apply", "--sandbox")
    assert result.exit_code == 4
    assert "apply needs confirmation, but stdin is not a terminal" in result.output
    assert not (root / SANDBOX_LOCKFILE).exists()
    assert micro1_interviews(root) == []


def test_a_stale_saved_plan_is_refused_naming_what_moved(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    saved = root / "reviewed.plan"
    assert run(root, "plan", "--sandbox", "--out", str(saved)).exit_code == 0
    write_definition(root, "eng/frontend", FRONTEND.replace("Frontend", "Front-end"))
    result = run(root, "apply", "--sandbox", str(saved))
    assert result.exit_code == 1
    assert "stale plan: interviews/eng/frontend.yaml changed since the plan was made" in (
        result.output
    )
    assert micro1_interviews(root) == []
    assert run(root, "plan", "--sandbox", "--out", str(saved)).exit_code == 0
    applied = run(root, "apply", "--sandbox", str(saved))
    assert applied.exit_code == 0, applied.output
    assert run(root, "apply", "--sandbox", str(saved)).exit_code == 1  # used up: stale now


def test_destroy_removes_what_it_can_and_forgets_the_rest(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert apply_with(root)[0] == 0
    tap = Tap(root)
    code, output = apply_with(root, tap, destroy=True)
    assert code == 0, output
    assert micro1_interviews(root) == []
    assert sorted(p for _, m, p in tap.log if m == "DELETE")[0].startswith("/agents/")
    assert sandbox_lock(root).entries == {}
    assert "forgotten" in output


def test_a_second_apply_is_refused_while_the_lock_is_held(tmp_path: Path) -> None:
    from interform.lockfile.lock import ApplyLock

    root = make_project(tmp_path)
    with ApplyLock(root / SANDBOX_LOCKFILE, "apply") as held:
        assert held.info is not None
        holder = held.info.id
        result = run(root, "apply", "--sandbox", "--auto-approve")
    assert result.exit_code == 1
    assert f"lock id {holder}" in result.output
    assert micro1_interviews(root) == []


def test_the_interpreter_switch_interval_is_restored_after_apply(tmp_path: Path) -> None:
    import sys

    root = make_project(tmp_path)
    before = sys.getswitchinterval()
    assert apply_with(root, converge=False)[0] == 0
    assert sys.getswitchinterval() == before
