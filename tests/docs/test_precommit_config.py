""".pre-commit-config.yaml, the hooks of interform's own repository: it parses as
pre-commit reads it, every hook runs a tool that `pip install -e '.[test]'` puts in the
venv, the interform hooks are the ones published in .pre-commit-hooks.yaml, and each
hook, run the way pre-commit runs it, passes on the repository."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from .support import ROOT

VENV = ".venv/bin/"
# the keys pre-commit knows for a hook (its config schema): a misspelt one is ignored
# by pre-commit without a word, so it is refused here
HOOK_KEYS = {
    "id",
    "name",
    "entry",
    "language",
    "files",
    "exclude",
    "types",
    "types_or",
    "exclude_types",
    "args",
    "pass_filenames",
    "always_run",
    "stages",
    "require_serial",
    "description",
    "additional_dependencies",
    "verbose",
    "fail_fast",
    "log_file",
    "minimum_pre_commit_version",
    "language_version",
}
PYTHON = (".py", ".pyi")  # what `types_or: [python, pyi]` selects in this repository


def load(name: str) -> Any:
    return YAML(typ="safe").load((ROOT / name).read_text(encoding="utf-8"))


def hooks() -> dict[str, dict[str, Any]]:
    config = load(".pre-commit-config.yaml")
    assert isinstance(config, dict) and list(config) == ["repos"]
    found: dict[str, dict[str, Any]] = {}
    for repo in config["repos"]:
        assert repo["repo"] == "local", "every hook runs from the project's venv"
        for hook in repo["hooks"]:
            assert hook["id"] not in found, f"hook {hook['id']} declared twice"
            found[hook["id"]] = hook
    return found


def tool(hook: dict[str, Any]) -> Path:
    """The executable a hook runs, in the venv that runs these tests (the .venv of the
    README and of .ci/run)."""
    command = shlex.split(hook["entry"])[0]
    assert command.startswith(VENV), f"{hook['id']}: runs {command}, not a tool of {VENV}"
    return Path(sys.executable).with_name(command.removeprefix(VENV))


def tracked() -> list[str]:
    """The files `pre-commit run --all-files` gives the hooks."""
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    return listed.stdout.splitlines()


def selected(hook: dict[str, Any], files: list[str]) -> list[str]:
    """The files pre-commit passes to `hook`: those matching `files` and its types."""
    chosen = [f for f in files if re.search(hook.get("files", ""), f)]
    if "types_or" in hook:
        assert set(hook["types_or"]) <= {"python", "pyi"}, "selected() knows these only"
        chosen = [f for f in chosen if f.endswith(PYTHON)]
    return chosen


def test_the_config_parses_and_every_hook_is_complete() -> None:
    declared = hooks()
    assert set(declared) == {
        "ruff-check",
        "ruff-format",
        "mypy",
        "interform-validate",
        "interform-fmt",
    }
    for hook in declared.values():
        assert set(hook) <= HOOK_KEYS, (hook["id"], set(hook) - HOOK_KEYS)
        assert {"id", "name", "entry", "language"} <= set(hook), hook["id"]
        assert hook["language"] == "system", "the venv's tools, not an environment of its own"
        re.compile(hook.get("files", ""))


def test_every_hook_runs_a_tool_the_test_install_provides() -> None:
    for hook in hooks().values():
        assert tool(hook).is_file(), f"{hook['id']}: {tool(hook)} is not installed"


def test_the_interform_hooks_are_the_published_ones_run_from_the_venv() -> None:
    """The repository checks its example project with exactly the hooks it offers."""
    declared = hooks()
    for published in load(".pre-commit-hooks.yaml"):
        own = declared[published["id"]]
        assert own["entry"] == VENV + published["entry"]
        for key in ("name", "files", "pass_filenames"):
            assert own[key] == published[key], (published["id"], key)


def test_each_hook_sees_the_files_it_is_for() -> None:
    files = tracked()
    expected = {
        "ruff-check": ("src/interform/cli.py", "tests/conftest.py", "bench/run.py"),
        "ruff-format": ("src/interform/cli.py", "tests/conftest.py", "bench/run.py"),
        "mypy": ("src/interform/cli.py", "tests/conftest.py", "bench/run.py", "pyproject.toml"),
        "interform-validate": ("interform.yaml", "interviews/sales/sdr-phone-screen.yaml"),
        "interform-fmt": ("interform.yaml", "interviews/sales/sdr-phone-screen.yaml"),
    }
    for hook_id, hook in hooks().items():
        chosen = selected(hook, files)
        assert set(expected[hook_id]) <= set(chosen), (hook_id, expected[hook_id])
        assert not [f for f in chosen if f.endswith(".md")], hook_id


@pytest.mark.parametrize("hook_id", sorted(hooks()))
def test_the_hook_passes_on_the_repository(hook_id: str) -> None:
    """Run as `pre-commit run --all-files` runs it: its entry, plus the tracked files it
    selects when it takes file names. None of the hooks rewrites a file."""
    hook = hooks()[hook_id]
    files = selected(hook, tracked())
    words = [str(tool(hook)), *shlex.split(hook["entry"])[1:], *hook.get("args", [])]
    argv = words + (files if hook.get("pass_filenames", True) else [])
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERFORM_")}
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
