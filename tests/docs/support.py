"""Shared by the docs tests: where the repository is, and how to run the installed CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def interform_script() -> str:
    beside = Path(sys.executable).with_name("interform")
    found = str(beside) if beside.is_file() else shutil.which("interform")
    if found is None:
        pytest.skip("the interform script is not installed")
    return found


def run_cli(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed `interform` script as a user (or pre-commit) would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERFORM_")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [interform_script(), *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )
