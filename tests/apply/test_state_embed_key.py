"""`interform embed-key`: the JobMojito embed signing key fetched again, written 0600 to
the file asked for (or the definition's), printed only on an explicit `--out -`, never
recorded in the lockfile."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
import pytest

from interform.sandbox import state_dir, transport

from .test_state_support import PROJECT, SANDBOX_LOCK, run, sandbox_apply, sandbox_lock, write

JM_PROJECT = PROJECT + "  jm:\n    provider: jobmojito\n"

EMBEDDED = """\
title: Support specialist
description: Chat and email support.
targets: [jm]
questions:
  - text: A customer is angry about a double charge. What do you do first?
jobmojito:
  interview_template_id: 46b98d37-1557-4391-beca-03037ead19f2
  embed:
    enabled: {enabled}
{sink}"""

ADDRESS = "support/specialist@jm"


def _project(root: Path, *, enabled: bool = True, sink: bool = True) -> Path:
    (root / "interform.yaml").write_text(JM_PROJECT)
    line = "    signing_key_file: secrets/embed.key\n" if sink else ""
    write(root, "interviews/eng/frontend.yaml", "title: Frontend\ntargets: [micro1]\n")
    write(
        root,
        "interviews/support/specialist.yaml",
        EMBEDDED.format(enabled=str(enabled).lower(), sink=line),
    )
    sandbox_apply(root)
    return root


def _platform_key(root: Path) -> str:
    """The key as the platform holds it (what the JobMojito dashboard would show)."""
    remote_id = sandbox_lock(root).entries[ADDRESS].remote_id
    with httpx.Client(
        transport=transport("jobmojito", state_dir=state_dir(root)),
        base_url="https://sandbox.test",
        headers={"Authorization": "Bearer sandbox-jm"},
    ) as client:
        answer = client.post(
            "/job-interview-set-state", json={"position_id": remote_id, "is_embedded": True}
        )
    key: str = answer.json()["embed_signing_key"]
    return key


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_key_goes_to_the_definitions_file(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = run(root, "embed-key", "--sandbox", ADDRESS)
    assert result.exit_code == 0, result.output
    key_file = root / "secrets/embed.key"
    embed_id = sandbox_lock(root).entries[ADDRESS].urls["embed_id"]
    assert result.stdout == (
        f"Wrote the embed signing key of {ADDRESS} (embed id {embed_id}) to {key_file} "
        "(mode 0600).\n"
    )
    key = _platform_key(root)
    assert key_file.read_text() == key + "\n" and _mode(key_file) == 0o600
    assert key not in (root / SANDBOX_LOCK).read_text()
    assert key not in result.output


def test_out_file_and_stdout(tmp_path: Path) -> None:
    root = _project(tmp_path, sink=False)
    other = tmp_path / "elsewhere" / "key.txt"
    assert run(root, "embed-key", "--sandbox", ADDRESS, "--out", str(other)).exit_code == 0
    assert other.read_text() == _platform_key(root) + "\n" and _mode(other) == 0o600
    printed = run(root, "embed-key", "--sandbox", ADDRESS, "--out", "-")
    assert printed.exit_code == 0 and printed.stdout == _platform_key(root) + "\n"


def test_an_existing_world_readable_file_is_replaced_by_a_private_one(tmp_path: Path) -> None:
    root = _project(tmp_path)
    key_file = root / "secrets/embed.key"
    key_file.parent.mkdir()
    key_file.write_text("old\n")
    key_file.chmod(0o644)
    assert run(root, "embed-key", "--sandbox", ADDRESS).exit_code == 0
    assert _mode(key_file) == 0o600 and key_file.read_text() == _platform_key(root) + "\n"


@pytest.mark.parametrize(
    ("enabled", "sink", "address", "expected"),
    [
        (
            True,
            False,
            ADDRESS,
            f"{ADDRESS}: its definition names no jobmojito.embed.signing_key_file — say where "
            "the key goes: --out FILE (written with mode 0600), or --out - to print it",
        ),
        (
            False,
            False,
            ADDRESS,
            f"{ADDRESS}: embedding is not enabled in interviews/support/specialist.yaml, and "
            "fetching the key would turn it on — enable it (`jobmojito: embed: {enabled: "
            "true}`) and apply first",
        ),
        (
            True,
            True,
            "eng/frontend@micro1",
            "eng/frontend@micro1 is on micro1: only JobMojito interviews have an embed signing key",
        ),
        (
            True,
            True,
            "eng/nope@jm",
            "eng/nope@jm is not tracked with a remote id — `interform -C {root} state list "
            "--sandbox` shows what is tracked",
        ),
    ],
)
def test_refusals(tmp_path: Path, enabled: bool, sink: bool, address: str, expected: str) -> None:
    root = _project(tmp_path, enabled=enabled, sink=sink)
    before = (root / SANDBOX_LOCK).read_text()
    result = run(root, "embed-key", "--sandbox", address)
    assert result.exit_code == 1
    assert result.output == expected.replace("{root}", str(root)) + "\n"
    assert (root / SANDBOX_LOCK).read_text() == before
    assert not (root / "secrets").exists()
