"""Webhooks declared in interform.yaml, through the CLI against the in-process sandbox:
validation at file:line:col, the secret kept out of every file and output, updates,
drift, refresh after an out-of-band delete, import, recovery of a lost create, protect
and destroy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from interform.sandbox import Faults, state_dir, transport
from interform.workspace import SANDBOX_LOCKFILE
from project_files import write_file

from .support import Tap, apply_with, remote_objects, run, sandbox_lock

SECRET = "hunter2-webhook-secret"

PROJECT = """\
project: hooks
targets:
  m1:
    provider: micro1
    webhooks:
      reports:
        url: https://hooks.example.com/micro1
        events: [interview_report.created, interview.completed]
        description: reports to the ATS
  iv:
    provider: instaview
    webhooks:
      done:
        url: https://hooks.example.com/instaview
        events: [interview.completed, analysis.completed]
        secret_env: HOOK_SECRET
safety:
  max_deletes: 5
"""
ADDRESSES = [
    "webhooks/done@iv",
    "webhooks/reports/interview.completed@m1",
    "webhooks/reports/interview_report.created@m1",
]


@pytest.fixture()
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    monkeypatch.setenv("NO_COLOR", "1")
    write_file(tmp_path, "interform.yaml", PROJECT)
    (tmp_path / "interviews").mkdir()
    return tmp_path


def hooks(root: Path, platform: str, target: str) -> dict[str, dict[str, Any]]:
    held = remote_objects(root).get((platform, target), {})
    return {k.split("/", 1)[1]: v for k, v in held.items() if k.startswith("webhook/")}


def edit(root: Path, old: str, new: str) -> None:
    path = root / "interform.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def platform_client(root: Path, provider: str, target: str) -> httpx.Client:
    """The emulated platform as someone outside interform reaches it."""
    headers = (
        {"x-api-key": f"sandbox-{target}"}
        if provider == "micro1"
        else {"Authorization": f"Bearer sandbox-{target}"}
    )
    inner = transport(provider, state_dir=state_dir(root), faults=Faults())
    return httpx.Client(transport=inner, base_url="https://platform.test", headers=headers)


def test_apply_creates_one_object_per_micro1_event_and_keeps_the_secret_out(root: Path) -> None:
    result = run(root, "apply", "--sandbox", "--auto-approve")
    assert result.exit_code == 0, result.output
    lock = sandbox_lock(root)
    assert sorted(lock.entries) == ADDRESSES
    micro1 = hooks(root, "micro1", "m1")
    assert sorted((h["event"], h["url"]) for h in micro1.values()) == [
        ("interview.completed", "https://hooks.example.com/micro1"),
        ("interview_report.created", "https://hooks.example.com/micro1"),
    ]
    (instaview,) = hooks(root, "instaview", "iv").values()
    # the platform got the secret itself; interform's files and output never hold it
    assert instaview["headers"] == [{"name": "X-Webhook-Secret", "value": SECRET}]
    assert SECRET not in (root / SANDBOX_LOCKFILE).read_text()
    assert SECRET not in result.output
    token = lock.entries["webhooks/done@iv"].request["headers"][0]["value"]  # type: ignore[index]
    assert token.startswith("interform-secret:pbkdf2-sha256:")
    planned = run(root, "plan", "--sandbox", "--json")
    assert SECRET not in planned.output
    assert run(root, "plan", "--sandbox", "--detailed-exitcode").exit_code == 0


def test_a_changed_secret_is_planned_without_showing_it(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(root, "apply", "--sandbox", "--auto-approve").exit_code == 0
    monkeypatch.setenv("HOOK_SECRET", "a-new-secret-value")
    planned = run(root, "plan", "--sandbox", "--detailed-exitcode")
    assert planned.exit_code == 2, planned.output
    assert "~ webhooks/done@iv" in planned.output and "headers" in planned.output
    assert "a-new-secret-value" not in planned.output and SECRET not in planned.output
    applied = run(root, "apply", "--sandbox", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert "a-new-secret-value" not in applied.output
    (instaview,) = hooks(root, "instaview", "iv").values()
    assert instaview["headers"] == [{"name": "X-Webhook-Secret", "value": "a-new-secret-value"}]


def test_url_events_and_description_changes(root: Path) -> None:
    assert run(root, "apply", "--sandbox", "--auto-approve").exit_code == 0
    before = sandbox_lock(root).entries["webhooks/done@iv"].remote_id
    edit(root, "https://hooks.example.com/instaview", "https://hooks.example.com/v2")
    edit(root, "[interview.completed, analysis.completed]", "[interview.failed]")
    edit(root, "[interview_report.created, interview.completed]", "[interview_report.created]")
    edit(root, "        description: reports to the ATS\n", "")
    planned = run(root, "plan", "--sandbox")
    assert "- webhooks/reports/interview.completed@m1" in planned.output, planned.output
    assert "~ webhooks/done@iv" in planned.output
    assert "~ webhooks/reports/interview_report.created@m1" in planned.output
    assert run(root, "apply", "--sandbox", "--auto-approve").exit_code == 0
    (instaview,) = hooks(root, "instaview", "iv").values()
    assert instaview["id"] == before  # updated in place
    assert (instaview["url"], instaview["events"]) == (
        "https://hooks.example.com/v2",
        ["interview.failed"],
    )
    (micro1,) = hooks(root, "micro1", "m1").values()
    # cleared with the empty string the spec's type allows, never null
    assert (micro1["event"], micro1["description"]) == ("interview_report.created", "")
    assert run(root, "plan", "--sandbox", "--detailed-exitcode").exit_code == 0


def test_removing_the_secret_clears_the_header(root: Path) -> None:
    assert run(root, "apply", "--sandbox", "--auto-approve").exit_code == 0
    edit(root, "        secret_env: HOOK_SECRET\n", "")
    assert run(root, "apply", "--sandbox", "--auto-approve").exit_code == 0
    (instaview,) = hooks(root, "instaview", "iv").values()
    assert instaview["headers"] == []


def test_refresh_finds_a_webhook_deleted_outside_and_apply_makes_it_again(root: Path) -> None:
    assert run(root, "apply", "--sandbox", "--auto-approve").exit_code == 0
    lock = sandbox_lock(root)
    micro1_id = lock.entries["webhooks/reports/interview.completed@m1"].remote_id
    instaview_id = lock.entries["webhooks/done@iv"].remote_id
    with platform_client(root, "micro1", "m1") as client:
        assert client.delete(f"/webhook/{micro1_id}").status_code == 200
    with platform_client(root, "instaview", "iv") as client:
        assert client.delete(f"/webhooks/{instaview_id}").status_code == 200
    refreshed = run(root, "refresh", "--sandbox")
    assert refreshed.exit_code == 0, refreshed.output
    assert "webhooks/reports/interview.completed@m1" in refreshed.output
    assert "webhooks/done@iv" in refreshed.output
    planned = run(root, "plan", "--sandbox")
    assert planned.output.count("+ webhooks/") == 2, planned.output
    assert run(root, "apply", "--sandbox", "--auto-approve").exit_code == 0
    assert len(hooks(root, "micro1", "m1")) == 2 and len(hooks(root, "instaview", "iv")) == 1


def test_drift_outside_interform_is_planned_back(root: Path) -> None:
    assert run(root, "apply", "--sandbox", "--auto-approve").exit_code == 0
    instaview_id = sandbox_lock(root).entries["webhooks/done@iv"].remote_id
    with platform_client(root, "instaview", "iv") as client:
        answer = client.patch(f"/webhooks/{instaview_id}", json={"url": "https://evil.example"})
        assert answer.status_code == 200, answer.text
    planned = run(root, "plan", "--sandbox", "--refresh")
    assert "changed outside interform: url" in planned.output, planned.output
    assert run(root, "apply", "--sandbox", "--auto-approve", "--refresh").exit_code == 0
    (instaview,) = hooks(root, "instaview", "iv").values()
    assert instaview["url"] == "https://hooks.example.com/instaview"


@pytest.mark.parametrize("address", ["webhooks/done@iv", "webhooks/reports/interview.completed@m1"])
def test_a_lost_create_answer_is_adopted_not_made_twice(root: Path, address: str) -> None:
    path = "/webhooks" if address.endswith("@iv") else "/webhook"
    tap = Tap(root)
    lost = {"done": False}

    def drop(target: str, request: httpx.Request) -> str | None:
        if request.method == "POST" and request.url.path == path and not lost["done"]:
            body = json.loads(request.content)
            if address.endswith("@iv") or body["event"] == "interview.completed":
                lost["done"] = True
                return "drop"  # the platform makes it; its answer never arrives
        return None

    tap.rules.append(drop)
    code, output = apply_with(root, tap)
    assert code != 0, output
    assert sandbox_lock(root).entries[address].pending, output
    code, output = apply_with(root)
    assert code == 0, output
    assert f"<= {address}: adopted" in output, output
    assert len(hooks(root, "micro1", "m1")) == 2 and len(hooks(root, "instaview", "iv")) == 1
    assert run(root, "plan", "--sandbox", "--detailed-exitcode").exit_code == 0


def test_import_tracks_an_existing_webhook_with_no_change(root: Path) -> None:
    with platform_client(root, "instaview", "iv") as client:
        made = client.post(
            "/webhooks",
            json={
                "url": "https://hooks.example.com/instaview",
                "events": ["interview.completed", "analysis.completed"],
                "name": "done",
                "description": "",
                "headers": [{"name": "X-Webhook-Secret", "value": SECRET}],
            },
        )
    assert made.status_code == 201
    remote_id = made.json()["id"]
    imported = run(root, "import", "--sandbox", "webhooks/done@iv", remote_id)
    assert imported.exit_code == 0, imported.output
    assert f"Instaview webhook {remote_id}" in imported.output
    planned = run(root, "plan", "--sandbox", "--target", "webhooks/done@iv")
    assert "webhooks/done@iv" not in planned.output, planned.output
    generate = run(root, "import", "--sandbox", "--generate", "webhooks/other@iv", remote_id)
    assert generate.exit_code == 1
    assert "declared in interform.yaml under targets.iv.webhooks" in generate.output


def test_destroy_removes_them_and_respects_protect(root: Path) -> None:
    edit(
        root,
        "        secret_env: HOOK_SECRET\n",
        "        secret_env: HOOK_SECRET\n        protect: true\n",
    )
    assert run(root, "apply", "--sandbox", "--auto-approve").exit_code == 0
    refused = run(root, "destroy", "--sandbox", "--auto-approve")
    assert refused.exit_code == 1
    assert "webhooks/done@iv" in refused.output and "protect" in refused.output
    edit(root, "        protect: true\n", "")
    assert run(root, "apply", "--sandbox", "--auto-approve").exit_code == 0
    destroyed = run(root, "destroy", "--sandbox", "--auto-approve", env={"HOOK_SECRET": ""})
    assert destroyed.exit_code == 0, destroyed.output  # destroy needs no secret
    assert hooks(root, "micro1", "m1") == {} and hooks(root, "instaview", "iv") == {}
    assert sandbox_lock(root).entries == {}


def test_removal_counts_against_the_safety_threshold(root: Path) -> None:
    edit(root, "max_deletes: 5", "max_deletes: 1")
    assert run(root, "apply", "--sandbox", "--auto-approve").exit_code == 0
    edit(root, "      reports:", "      renamed:")
    refused = run(root, "plan", "--sandbox")
    assert refused.exit_code == 1 and "max_deletes" in refused.output, refused.output


def test_a_missing_secret_variable_is_one_line_naming_it(root: Path) -> None:
    result = run(root, "plan", "--sandbox", env={"HOOK_SECRET": ""})
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "HOOK_SECRET" in line]
    assert lines == [
        "interform.yaml:16:21: webhooks/done@iv: the environment variable HOOK_SECRET (its "
        "secret) is not set — export HOOK_SECRET before running interform (CI: from a secret "
        "store)"
    ]


BAD = """\
targets:
  m1:
    provider: micro1
    webhooks:
      a:
        url: http://hooks.example.com/plain
        events: [interview.complete, interview.completed, interview.completed]
        secret_env: HOOK_SECRET
  jm:
    provider: jobmojito
    webhooks:
      b:
        url: https://hooks.example.com/jm
        events: [x]
"""


def test_validation_reports_every_problem_at_its_line(root: Path) -> None:
    write_file(root, "interform.yaml", BAD)
    result = run(root, "validate")
    assert result.exit_code == 1
    assert "interform.yaml:6:14: targets.m1.webhooks.a.url must be an https:// URL" in result.output
    write_file(root, "interform.yaml", BAD.replace("http://", "https://"))
    result = run(root, "validate")
    assert result.exit_code == 1
    out = result.output
    assert (
        'interform.yaml:7:18: "interview.complete" is not a micro1 webhook event — '
        'did you mean "interview.completed"?' in out
    ), out
    assert 'interform.yaml:7:59: event "interview.completed" is listed twice' in out, out
    assert "interform.yaml:8:9: micro1 documents no webhook secret" in out, out
    assert (
        "interform.yaml:12:7: targets.jm.webhooks: JobMojito configures webhooks only in "
        "its admin UI" in out
    ), out
    assert "Traceback" not in out
