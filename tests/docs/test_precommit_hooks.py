"""`.pre-commit-hooks.yaml`: each hook is run the way pre-commit runs it (its entry, plus
the staged files matching `files` when `pass_filenames`), on a valid and a broken
project."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from .support import ROOT, run_cli

HOOK_IDS = ("interform-validate", "interform-fmt")
PROJECT_FILES = ["interform.yaml", "interviews/example.yaml"]


def hooks() -> dict[str, dict[str, Any]]:
    loaded = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert isinstance(loaded, list)
    return {hook["id"]: hook for hook in loaded}


def run_hook(hook: dict[str, Any], project: Path, staged: list[str]) -> tuple[int, str]:
    """What pre-commit does: filter the staged files, append them, run the entry."""
    matching = [f for f in staged if re.search(hook["files"], f)]
    if not matching:
        return 0, "(skipped: no matching file)"
    words = shlex.split(hook["entry"]) + list(hook.get("args", []))
    assert words[0] == "interform", "a python hook's entry is the console script"
    files = matching if hook.get("pass_filenames", True) else []
    done = run_cli(words[1:] + files, project)
    return done.returncode, done.stdout + done.stderr


def test_hooks_are_declared_for_python_with_a_definitions_pattern() -> None:
    declared = hooks()
    assert set(declared) == set(HOOK_IDS)
    for hook in declared.values():
        assert hook["language"] == "python"
        pattern = re.compile(hook["files"])
        for path in ("interform.yaml", "interviews/a.yaml", "interviews/team/b.yml"):
            assert pattern.search(path), (hook["id"], path)
        for path in ("README.md", "schemas/interview.schema.json", "ci/interviews.yaml"):
            assert not pattern.search(path), (hook["id"], path)


def test_validate_sees_the_whole_project_because_defaults_apply_to_every_file() -> None:
    assert hooks()["interform-validate"]["pass_filenames"] is False
    assert hooks()["interform-fmt"]["pass_filenames"] is True


@pytest.mark.parametrize("hook_id", HOOK_IDS)
def test_hook_passes_on_a_fresh_project(project: Path, hook_id: str) -> None:
    code, output = run_hook(hooks()[hook_id], project, PROJECT_FILES)
    assert code == 0, output


def test_validate_hook_fails_with_the_position_of_the_problem(project: Path) -> None:
    definition = project / "interviews" / "example.yaml"
    definition.write_text(definition.read_text() + "questions: 5\n")
    code, output = run_hook(hooks()["interform-validate"], project, ["interviews/example.yaml"])
    assert code == 1
    assert re.search(r"^interviews/example\.yaml:\d+:\d+: .+ — .+$", output, re.M), output


def test_validate_hook_runs_when_only_the_project_file_changed(project: Path) -> None:
    # an edit of interform.yaml can break every definition: the hook must still look
    (project / "interform.yaml").write_text("targets: {}\n")
    code, output = run_hook(hooks()["interform-validate"], project, ["interform.yaml"])
    assert code == 1, output


def test_fmt_hook_fails_on_an_unformatted_file_and_names_it(project: Path) -> None:
    definition = project / "interviews" / "example.yaml"
    definition.write_text(definition.read_text().replace("title: ", "title:    ", 1))
    code, output = run_hook(hooks()["interform-fmt"], project, PROJECT_FILES)
    assert code == 1
    assert "interviews/example.yaml:" in output and "interform fmt" in output, output
    assert not re.search(r"^interform\.yaml:", output, re.M), "the project file is formatted"
