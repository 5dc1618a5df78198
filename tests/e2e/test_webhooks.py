"""Webhooks on micro1 and Instaview through the CLI against `interform sandbox serve` (a
real server, with latency): apply, change URL and events, refresh after a delete made
outside interform, destroy; and `interform apply` killed with SIGKILL while it creates
webhooks, then applied again: every webhook exists once, none is made twice, and no
person is needed (both platforms list their webhooks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from interform.lockfile.store import journal_path, read_lockfile
from project_files import write_file

from .harness import cli, converge, dashboard, environment, serve, start
from .trials import kill_on_event

pytestmark = pytest.mark.slow

SECRET = "e2e-webhook-secret"


def project(url: str) -> str:
    return f"""\
project: e2e-hooks
targets:
  micro1:
    provider: micro1
    base_url: {url}/micro1
    timeout: 3
    webhooks:
      reports:
        url: https://hooks.example.com/micro1
        events: [interview_report.created, interview.completed, applicant.created]
  iv:
    provider: instaview
    base_url: {url}/instaview
    timeout: 3
    webhooks:
      done:
        url: https://hooks.example.com/instaview
        events: [interview.completed]
        secret_env: HOOK_SECRET
      failed:
        url: https://hooks.example.com/failures
        events: [interview.failed, analysis.failed]
"""


def setup(root: Path, url: str, account: str) -> dict[str, str]:
    write_file(root, "interform.yaml", project(url))
    (root / "interviews").mkdir()
    return {**environment(account), "HOOK_SECRET": SECRET}


def remote_hooks(state: Path, account: str) -> dict[str, list[dict[str, Any]]]:
    return {
        target: list(dashboard(state, platform, f"{account}-{target}").get("webhook", {}).values())
        for target, platform in (("micro1", "micro1"), ("iv", "instaview"))
    }


def test_apply_change_refresh_and_destroy(tmp_path: Path) -> None:
    root = tmp_path / "project"
    with serve(tmp_path / "state", "latency=20ms") as served:
        env = setup(root, served.url, "a")
        code, out = cli(root, env, "apply", "--auto-approve")
        assert code == 0, out
        assert SECRET not in out and SECRET not in (root / "interform.lock").read_text()
        hooks = remote_hooks(served.state, "a")
        assert sorted(h["event"] for h in hooks["micro1"]) == [
            "applicant.created",
            "interview.completed",
            "interview_report.created",
        ]
        assert len(hooks["iv"]) == 2

        text = (root / "interform.yaml").read_text()
        text = text.replace("https://hooks.example.com/instaview", "https://hooks.example.com/v2")
        text = text.replace("interview.completed, applicant.created]", "applicant.updated]")
        text = text.replace("events: [interview.completed]", "events: [interview.completed, ping]")
        write_file(root, "interform.yaml", text)
        code, out = cli(root, env, "apply", "--auto-approve")
        assert code == 0, out
        assert "2 deleted" in out and "1 created" in out and "1 updated" in out, out
        hooks = remote_hooks(served.state, "a")
        assert sorted(h["event"] for h in hooks["micro1"]) == [
            "applicant.updated",
            "interview_report.created",
        ]
        done = next(h for h in hooks["iv"] if h["name"] == "done")
        assert (done["url"], sorted(done["events"])) == (
            "https://hooks.example.com/v2",
            ["interview.completed", "ping"],
        )

        lock = read_lockfile(root / "interform.lock")
        assert lock is not None
        gone = {
            "micro1": lock.entries["webhooks/reports/applicant.updated@micro1"].remote_id,
            "iv": lock.entries["webhooks/failed@iv"].remote_id,
        }
        with httpx.Client(base_url=served.url) as client:
            headers = {"x-api-key": env["MICRO1_API_KEY"]}
            assert client.delete(f"/micro1/webhook/{gone['micro1']}", headers=headers).is_success
            headers = {"Authorization": f"Bearer {env['INSTAVIEW_API_KEY']}"}
            assert client.delete(f"/instaview/webhooks/{gone['iv']}", headers=headers).is_success
        code, out = cli(root, env, "refresh")
        assert code == 0, out
        assert "webhooks/reports/applicant.updated@micro1" in out and "webhooks/failed@iv" in out
        code, out = cli(root, env, "plan", "--detailed-exitcode")
        assert code == 2 and out.count("+ webhooks/") == 2, out
        code, out = cli(root, env, "apply", "--auto-approve")
        assert code == 0, out
        assert [len(h) for h in remote_hooks(served.state, "a").values()] == [2, 2]

        env.pop("HOOK_SECRET")  # destroy reads no secret
        code, out = cli(root, env, "destroy", "--auto-approve")
        assert code == 0, out
        assert remote_hooks(served.state, "a") == {"micro1": [], "iv": []}


@pytest.mark.parametrize("record", [2, 3, 4, 6])
def test_kill_9_during_webhook_creates_never_makes_one_twice(tmp_path: Path, record: int) -> None:
    root = tmp_path / "project"
    account = f"k{record}"
    with serve(tmp_path / "state", "latency=40ms") as served:
        env = setup(root, served.url, account)
        journal = journal_path(root / "interform.lock")

        def written() -> bool:
            try:
                return journal.read_bytes().count(b"\n") >= record
            except FileNotFoundError:
                return False

        proc = start(root, env, "apply", "--auto-approve", "--parallelism", "1")
        assert kill_on_event(proc, root, written), "the apply ended before the kill"
        seen = converge(root, env, served.state, account)
        assert seen.human_steps() == []
        hooks = remote_hooks(served.state, account)
        events = sorted(h["event"] for h in hooks["micro1"])
        assert events == ["applicant.created", "interview.completed", "interview_report.created"]
        assert sorted(h["name"] for h in hooks["iv"]) == ["done", "failed"]
        lock = read_lockfile(root / "interform.lock")
        assert lock is not None
        tracked = {e.remote_id for e in lock.entries.values()}
        remote = {h["webhook_id"] for h in hooks["micro1"]} | {h["id"] for h in hooks["iv"]}
        assert tracked == remote and len(lock.entries) == 5
