"""The broken corpus: every file in tests/broken fails `interform validate` with exactly
the lines stored beside it (`<case>.expected`), exit 1, and no traceback.

Definitions live in tests/broken/interviews (validated against tests/broken/interform.yaml,
one case per file or per directory); whole projects in tests/broken/projects/<case>/.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from .config_helpers import BROKEN, run

DEFINITION_CASES = sorted(p for p in (BROKEN / "interviews").iterdir() if p.suffix != ".expected")
PROJECT_CASES = sorted(p for p in (BROKEN / "projects").iterdir() if p.is_dir())


def _expected_for(case: Path) -> str:
    stem = case.name if case.is_dir() else case.name.rsplit(".", 1)[0]
    return (case.parent / f"{stem}.expected").read_text(encoding="utf-8")


def test_the_corpus_is_large_and_every_case_has_expectations() -> None:
    assert len(DEFINITION_CASES) + len(PROJECT_CASES) >= 30
    for case in DEFINITION_CASES:
        assert _expected_for(case).strip(), case.name
    for case in PROJECT_CASES:
        assert (case / "expected").read_text(encoding="utf-8").strip(), case.name


@pytest.mark.parametrize("case", DEFINITION_CASES, ids=lambda p: p.name)
def test_broken_definition(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(BROKEN / "interform.yaml", tmp_path / "interform.yaml")
    target = tmp_path / "interviews" / case.name
    if case.is_dir():
        shutil.copytree(case, target)
    else:
        target.parent.mkdir()
        shutil.copy(case, target)
    monkeypatch.chdir(tmp_path)
    _assert_fails_exactly(_expected_for(case), "validate", f"interviews/{case.name}")


@pytest.mark.parametrize("case", PROJECT_CASES, ids=lambda p: p.name)
def test_broken_project(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / case.name
    shutil.copytree(case, project, ignore=shutil.ignore_patterns("expected"))
    monkeypatch.chdir(project)
    _assert_fails_exactly((case / "expected").read_text(encoding="utf-8"), "validate")


def _assert_fails_exactly(expected: str, *args: str) -> None:
    started = time.perf_counter()
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == expected
    assert "Traceback" not in result.output
    assert time.perf_counter() - started < 2.0
