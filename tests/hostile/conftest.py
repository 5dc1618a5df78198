"""The hostile-input corpus: shared projects, and the closing summary per category
(cases, worst wall time, peak memory of the interform process)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .evil_server import EvilServer, evil_server
from .hostile_support import STATS, run_cli, write_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


@pytest.fixture(scope="session")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project applied once to the sandbox: its lockfile is a real one to spoil."""
    root = write_project(tmp_path_factory.mktemp("applied"))
    run = run_cli(root, "apply", "--sandbox", "--auto-approve")
    assert run.code == 0, run.output
    return root


@pytest.fixture
def tracked(applied: Path, tmp_path: Path) -> Path:
    """A copy of `applied` whose sandbox lockfile is `interform.lock` (plan reads it
    without credentials or network)."""
    root = tmp_path / "tracked"
    shutil.copytree(applied, root, ignore=shutil.ignore_patterns("state", "cache"))
    shutil.copy(root / ".interform" / "sandbox" / "interform.lock", root / "interform.lock")
    return root


@pytest.fixture(scope="session")
def evil() -> Iterator[EvilServer]:
    with evil_server() as server:
        yield server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not STATS:
        return
    write = terminalreporter.write_line
    write("")
    write("hostile corpus: category, cases, worst time, peak memory of interform")
    for name, stats in sorted(STATS.items()):
        write(
            f"  {name:<14} {len(stats.cases):>3} cases  {stats.worst_seconds:5.2f} s  "
            f"{stats.peak_mb:5.0f} MB"
        )
    report = os.environ.get("INTERFORM_HOSTILE_REPORT")
    if report:
        table = {
            name: {
                "cases": len(s.cases),
                "worst_seconds": round(s.worst_seconds, 2),
                "peak_mb": round(s.peak_mb),
            }
            for name, s in sorted(STATS.items())
        }
        Path(report).write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
