"""A fifth platform added with no edit to interform: the toy package in tests/plugins
(adapter, emulator, language table, rules) is registered only by an entry point in a
`*.dist-info` on the subprocesses' PYTHONPATH, and validate → plan → apply → destroy run
against its emulator through real CLI processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
PROJECT = "project: toy-e2e\ntargets:\n  play:\n    provider: toy\n"
SCREEN = """\
title: Toy screen
targets: [play]
language: de-AT
questions:
  - id: hello
    text: Who are you?
toy:
  greeting: {greeting}
"""


def site_with_entry_point(root: Path) -> Path:
    """What installing a package declaring the toy platform leaves on sys.path."""
    dist = root / "site" / "toy_interform-0.1.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-interform\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[interform.platforms]\ntoy = toy_interform.platform:PLATFORM\n"
    )
    return root / "site"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "interviews").mkdir(parents=True)
    (root / "interform.yaml").write_text(PROJECT)
    (root / "interviews" / "screen.yaml").write_text(SCREEN.format(greeting="hi"))
    return root


def run(root: Path, *args: str, plugin: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERFORM_")}
    paths = [str(site_with_entry_point(root.parent / "env")), str(PLUGINS)] if plugin else []
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "interform", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def emulated(root: Path) -> list[dict[str, object]]:
    shown = run(root, "sandbox", "show", "--json")
    assert shown.returncode == 0, shown.stderr
    rows: list[dict[str, object]] = json.loads(shown.stdout or "[]")
    return [row for row in rows if row.get("platform") == "toy"]


def test_a_platform_from_an_entry_point_validates_plans_applies_and_destroys(
    project: Path,
) -> None:
    checked = run(project, "validate")
    assert checked.returncode == 0, checked.stderr

    planned = run(project, "plan", "--sandbox")
    assert planned.returncode == 0, planned.stderr
    assert "screen@play" in planned.stdout and "create" in planned.stdout
    # the toy's language table: de-AT runs in German, and the plan says so
    assert '"german"' in planned.stdout and "Toy has no" in planned.stdout

    applied = run(project, "apply", "--sandbox", "--auto-approve")
    assert applied.returncode == 0, applied.stderr
    lock = json.loads((project / ".interform/sandbox/interform.lock").read_text())
    entry = lock["entries"]["screen@play"]
    assert entry["provider"] == "toy" and entry["request"]["greeting"] == "hi"
    assert [row["id"] for row in emulated(project)] == [entry["remote_id"]]

    settled = run(project, "plan", "--sandbox", "--detailed-exitcode")
    assert settled.returncode == 0, settled.stdout + settled.stderr

    (project / "interviews" / "screen.yaml").write_text(SCREEN.format(greeting="welcome"))
    edited = run(project, "apply", "--sandbox", "--auto-approve")
    assert edited.returncode == 0, edited.stderr
    assert "greeting" in edited.stdout
    assert [row["id"] for row in emulated(project)] == [entry["remote_id"]], "updated in place"

    destroyed = run(project, "destroy", "--sandbox", "--auto-approve")
    assert destroyed.returncode == 0, destroyed.stderr
    assert emulated(project) == []


def test_the_platforms_rules_and_section_come_from_its_package(project: Path) -> None:
    (project / "interviews" / "screen.yaml").write_text(
        SCREEN.format(greeting="hi").replace(
            "Toy screen", "A toy screen whose title is far too long for the toy"
        )
        + "  volume: 11\n"
    )
    checked = run(project, "validate")
    assert checked.returncode == 1
    assert checked.stderr.splitlines() == [
        'interviews/screen.yaml:9:3: unknown key "volume" in toy — allowed keys: greeting, mood',
    ], checked.stderr
    (project / "interviews" / "screen.yaml").write_text(
        SCREEN.format(greeting="hi").replace(
            "Toy screen", "A toy screen whose title is far too long for the toy"
        )
    )
    checked = run(project, "validate")
    assert checked.returncode == 1
    assert checked.stderr.splitlines() == [
        "interviews/screen.yaml:1:8: Toy (target play) takes titles of at most 40 characters "
        "— shorten the title",
    ], checked.stderr


def test_without_its_entry_point_the_platform_is_unknown(project: Path) -> None:
    checked = run(project, "validate", plugin=False)
    assert checked.returncode == 1
    assert "targets.play.provider must be one of: micro1, jobmojito, instaview, versive" in (
        checked.stderr
    )
