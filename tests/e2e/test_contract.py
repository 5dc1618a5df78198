"""The contract of every adapter with its platform, through the apply engine against
the sandbox emulators: create → read → update → read → replace → read → remove or
forget. After every apply, what the platform returns equals the body interform rendered
and recorded (no diff after apply), and a plan finds nothing to do."""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from interform.apply.connect import connect
from interform.cli import main
from interform.lockfile.model import Lockfile
from interform.lockfile.store import read_lockfile
from interform.providers.base import with_refs
from interform.providers.registry import kind_spec
from interform.workspace import SANDBOX_LOCKFILE, open_workspace

from .harness import DEFINITIONS


@dataclass(frozen=True)
class Case:
    provider: str
    definition: str
    update: tuple[str, str]  # text replaced to change a field in place
    replace: tuple[str, str] | None  # text replaced to force a new object
    replaced: str | None = None  # the address whose remote id the replace changes


MICRO1 = """\
title: Frontend engineer
targets: [t]
questions:
  - id: bug
    text: Which browser bug cost you the most time?
    answer_time: 2m
skills:
  - name: TypeScript
"""

JOBMOJITO = """\
title: Support specialist
description: Screening for support specialists.
language: en
targets: [t]
questions:
  - id: angry
    text: A customer was charged twice. What is your first reply?
    answer_time: 2m
  - id: refund
    text: Have you ever had to refuse a refund?
  - id: refund-how
    follow_up_to: refund
    text: How did you explain it?
jobmojito:
  interview_template_id: 46b98d37-1557-4391-beca-03037ead19f2
  interview_type: pre-screening
  seniority_level: intermediate
  embed:
    signing_key_file: secrets/embed.key
"""

# the end-to-end project's definitions, on the one target of each case
INSTAVIEW = DEFINITIONS["eng/backend"].replace("targets: [micro1, iv]", "targets: [t]")
VERSIVE = DEFINITIONS["research/study"].replace("targets: [vs]", "targets: [t]")

CASES = [
    Case("micro1", MICRO1, ("cost you the most", "took you longest"), None),
    Case(
        "jobmojito",
        JOBMOJITO,
        ("refuse a refund", "say no to a refund"),
        ("language: en", "language: de"),
        "x@t",
    ),
    Case(
        "instaview",
        INSTAVIEW,
        ("handled.", "led."),
        ("is_test: true", "is_test: false"),
        "x@t#smoke",
    ),
    Case("versive", VERSIVE, ("team: research", "team: growth"), ("Onboarding", "Welcome"), "x@t"),
]


def cli(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["-C", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def lockfile(root: Path) -> Lockfile:
    lock = read_lockfile(root / SANDBOX_LOCKFILE)
    assert lock is not None
    return lock


def assert_reads_back_as_sent(root: Path) -> None:
    """Every readable object reads back equal to its recorded (rendered) body."""
    ws = open_workspace(root, sandbox=True)
    lock = lockfile(root)
    # with the ids of the objects each references, as recorded (an Instaview session's
    # job and candidate)
    desired = {
        r.address: dict(with_refs(r, lambda a: lock.entries[a].remote_id).body) for r in ws.desired
    }
    with connect(ws, ["t"]) as connections:
        for address, entry in lock.entries.items():
            assert entry.request == desired[address]
            if not kind_spec(entry.provider, entry.kind).readable:
                continue
            state = connections["t"].read(entry)
            assert state is not None, address
            assert state.body == entry.request, address
    assert "No changes." in cli(root, "plan", "--sandbox")


def edit(root: Path, old: str, new: str) -> None:
    path = root / "interviews" / "x.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("case", CASES, ids=[c.provider for c in CASES])
def test_adapter_contract(tmp_path: Path, case: Case) -> None:
    root = tmp_path
    (root / "interform.yaml").write_text(
        f"project: contract\ntargets:\n  t:\n    provider: {case.provider}\n"
    )
    (root / "interviews").mkdir()
    (root / "interviews" / "x.yaml").write_text(case.definition)

    created = cli(root, "apply", "--sandbox", "--auto-approve")
    assert "Apply complete against the sandbox" in created
    assert_reads_back_as_sent(root)
    first = {a: e.remote_id for a, e in lockfile(root).entries.items()}

    edit(root, *case.update)
    updated = cli(root, "apply", "--sandbox", "--auto-approve")
    assert "1 updated" in updated and "replaced" not in updated, updated
    assert {a: e.remote_id for a, e in lockfile(root).entries.items()} == first
    assert_reads_back_as_sent(root)

    if case.replace is not None:
        edit(root, *case.replace)
        replaced = cli(root, "apply", "--sandbox", "--auto-approve")
        assert "replaced" in replaced, replaced
        now = lockfile(root).entries
        assert case.replaced is not None and now[case.replaced].remote_id != first[case.replaced]
        assert not [a for a in now if "~" in a]  # the old object is not tracked any more
        assert_reads_back_as_sent(root)

    gone = lockfile(root)
    cli(root, "destroy", "--sandbox", "--auto-approve")
    assert lockfile(root).entries == {}
    ws = open_workspace(root, sandbox=True)
    with connect(ws, ["t"]) as connections:
        for address, entry in gone.entries.items():
            spec = kind_spec(entry.provider, entry.kind)
            if spec.readable and spec.removal.value == "delete":
                assert connections["t"].read(entry) is None, address


def test_a_returned_secret_reaches_its_sink_and_nothing_else(tmp_path: Path) -> None:
    root = tmp_path
    (root / "interform.yaml").write_text(
        "project: contract\ntargets:\n  t:\n    provider: jobmojito\n"
    )
    (root / "interviews").mkdir()
    (root / "interviews" / "x.yaml").write_text(JOBMOJITO)
    output = cli(root, "apply", "--sandbox", "--auto-approve")
    sink = root / "secrets" / "embed.key"
    key = sink.read_text().strip()
    assert len(key) >= 16 and stat.S_IMODE(sink.stat().st_mode) == 0o600
    assert key not in output
    assert key not in (root / SANDBOX_LOCKFILE).read_text()
    assert "embed_signing_key written to secrets/embed.key (mode 0600)" in output
    assert key not in json.dumps(lockfile(root).model_dump())
