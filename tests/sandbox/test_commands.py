"""`interform sandbox show` and `reset` on a real project directory."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from interform.cli import main
from interform.sandbox import registry, state_dir, transport
from interform.sandbox.faults import Faults


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "interform.yaml").write_text("project: demo\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _seed_objects(root: Path) -> str:
    def client(platform: str, base: str, headers: dict[str, str]) -> httpx.Client:
        t = transport(platform, state_dir=state_dir(root), faults=Faults())
        return httpx.Client(transport=t, base_url=base, headers=headers)

    micro1 = client("micro1", "https://public.api.micro1.ai", {"x-api-key": "sandbox-prod"})
    made = micro1.post("/interview", json={"interview_name": "Backend"}).json()["data"]
    secret = {"Authorization": "Bearer real-looking-secret-key"}
    client("versive", "https://api.getversive.com", secret).post(
        "/api/v1/studies", json={"title": "Study"}
    )
    registry.close_all()
    invite: str = made["invite_url"]
    return invite


def test_show_lists_every_account_without_credentials(project: Path) -> None:
    invite = _seed_objects(project)
    runner = CliRunner()
    text = runner.invoke(main, ["sandbox", "show"])
    assert text.exit_code == 0, text.output
    header, *rows = text.stdout.splitlines()
    assert header.split()[:6] == ["PLATFORM", "ACCOUNT", "KIND", "ID", "NAME", "STATUS"]
    assert any(r.startswith("micro1") and "prod" in r and f"invite_url={invite}" in r for r in rows)
    as_json = json.loads(runner.invoke(main, ["sandbox", "show", "--json"]).stdout)
    assert {(r["platform"], r["kind"], r["name"]) for r in as_json} == {
        ("micro1", "interview", "Backend"),
        ("versive", "study", "Study"),
    }
    versive_account = next(r["account"] for r in as_json if r["platform"] == "versive")
    assert versive_account.startswith("key-")
    everything = "".join(p.read_text() for p in state_dir(project).rglob("*") if p.is_file())
    assert "real-looking-secret-key" not in everything + text.stdout


def test_reset_clears_accounts_and_the_sandbox_lockfile(project: Path) -> None:
    _seed_objects(project)
    sandbox = project / ".interform" / "sandbox"
    (sandbox / "interform.lock").write_text("{}")
    (sandbox / "interform.lock.journal").write_text("")
    runner = CliRunner()
    narrow = runner.invoke(main, ["sandbox", "reset", "--platform", "versive"])
    assert narrow.exit_code == 0 and (sandbox / "interform.lock").exists()
    rows = json.loads(runner.invoke(main, ["sandbox", "show", "--json"]).stdout)
    assert [r["platform"] for r in rows] == ["micro1"]
    (sandbox / "interform.lock.lock").write_text("{}")
    refused = runner.invoke(main, ["sandbox", "reset"])
    assert refused.exit_code == 1 and "an apply against the sandbox is running" in refused.stderr
    (sandbox / "interform.lock.lock").unlink()
    done = runner.invoke(main, ["sandbox", "reset"])
    assert done.exit_code == 0, done.output
    assert not (sandbox / "interform.lock").exists()
    assert not (sandbox / "interform.lock.journal").exists()
    assert runner.invoke(main, ["sandbox", "show", "--json"]).stdout.strip() == "[]"


def test_outside_a_project_the_state_dir_must_be_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    lost = runner.invoke(main, ["sandbox", "show"])
    assert lost.exit_code == 1
    assert lost.stderr.strip().endswith("run inside a project, or pass --state-dir DIR")
    given = runner.invoke(main, ["sandbox", "show", "--state-dir", str(tmp_path / "s")])
    assert given.exit_code == 0 and "no emulated objects" in given.stderr
