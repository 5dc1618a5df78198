"""Fixtures of the docs tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project made by `interform init` (one valid, formatted definition)."""
    done = run_cli(["init"], tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path
