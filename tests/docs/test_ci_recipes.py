"""The CI recipes: the GitHub workflow that `interform init --ci github` writes and the
GitLab CI file in docs/ci.md parse, call only real commands and options, and keep the
promises the CI guide makes (sticky comment, detailed exit codes, one apply at a time,
the lockfile committed back even when apply failed)."""

from __future__ import annotations

import re
from importlib.resources import files
from typing import Any

import pytest
from ruamel.yaml import YAML

from .commands import check_invocation, interform_invocations
from .support import ROOT


def load(text: str) -> dict[str, Any]:
    loaded = YAML(typ="safe").load(text)
    assert isinstance(loaded, dict)
    return loaded


def github_workflow() -> dict[str, Any]:
    template = files("interform") / "data" / "templates" / "github" / "interform.yml"
    return load(template.read_text(encoding="utf-8"))


def gitlab_ci() -> dict[str, Any]:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# \.gitlab-ci\.yml\n.*?)```", text, re.S)
    assert block, "docs/ci.md must hold the .gitlab-ci.yml snippet"
    return load(block.group(1))


def scripts(job: dict[str, Any]) -> list[str]:
    """Every shell line a job runs, in order (GitHub `run:` steps or GitLab `script:`)."""
    chunks = [str(s["run"]) for s in job.get("steps", []) if "run" in s]
    chunks += [str(line) for line in job.get("script", [])]
    return [line for chunk in chunks for line in chunk.splitlines()]


def invocations(job: dict[str, Any]) -> list[list[str]]:
    return [words for line in scripts(job) for words in interform_invocations(line)]


def recipes() -> list[tuple[str, dict[str, Any]]]:
    return [("github", github_workflow()), ("gitlab", gitlab_ci())]


@pytest.mark.parametrize(("name", "recipe"), recipes())
def test_every_interform_command_in_the_recipe_is_real(name: str, recipe: dict[str, Any]) -> None:
    jobs = recipe.get("jobs", recipe)
    found = [w for job in jobs.values() if isinstance(job, dict) for w in invocations(job)]
    assert len(found) >= 3, name
    for words in found:
        assert check_invocation(words) is None, f"{name}: {' '.join(words)}"


@pytest.mark.parametrize(("name", "recipe"), recipes())
def test_the_plan_job_validates_and_renders_a_markdown_plan_with_exit_codes(
    name: str, recipe: dict[str, Any]
) -> None:
    plan_job = recipe["jobs"]["plan"] if "jobs" in recipe else recipe["plan"]
    validate_job = recipe.get("validate", {})  # GitLab validates in a job of its own
    lines = scripts(plan_job)
    commands = [" ".join(w) for w in invocations(plan_job) + invocations(validate_job)]
    assert "interform validate" in commands
    assert "interform plan --detailed-exitcode --markdown" in commands
    # 2 means "changes", not failure: only other codes may fail the step
    assert any(re.search(r'-ne 0 \] && \[ "\$code" -ne 2', line) for line in lines), name


def test_github_plan_comment_is_sticky() -> None:
    steps = github_workflow()["jobs"]["plan"]["steps"]
    script = next(s["with"]["script"] for s in steps if "github-script" in s.get("uses", ""))
    assert "<!-- interform-plan -->" in script
    assert "updateComment" in script and "createComment" in script


def test_gitlab_plan_note_is_sticky() -> None:
    script = "\n".join(scripts(gitlab_ci()["plan"]))
    assert "<!-- interform-plan -->" in script
    assert '"PUT"' in script and '"POST"' in script


def test_github_applies_one_at_a_time_and_always_commits_the_lockfile() -> None:
    workflow = github_workflow()
    assert set(workflow["on"]) == {"pull_request", "push"}
    apply_job = workflow["jobs"]["apply"]
    assert apply_job["concurrency"]["group"]
    assert apply_job["concurrency"]["cancel-in-progress"] is False
    steps = apply_job["steps"]
    applying = next(i for i, s in enumerate(steps) if "interform apply" in str(s.get("run")))
    assert steps[applying].get("continue-on-error") is True
    commit = next(i for i, s in enumerate(steps) if "git push" in str(s.get("run")))
    assert commit > applying and steps[commit]["if"] == "always()"
    assert "interform.lock.journal" in steps[commit]["run"]
    # the failure stays visible once the lockfile is safe
    assert any(s.get("if") == "steps.apply.outcome == 'failure'" for s in steps[commit:])


def test_github_credentials_reach_only_the_apply_job() -> None:
    workflow = github_workflow()
    assert "secrets." not in str(workflow.get("env", {}))
    assert "secrets." not in str(workflow["jobs"]["plan"])
    assert "secrets.MICRO1_API_KEY" in str(workflow["jobs"]["apply"]["env"])


def test_gitlab_applies_one_at_a_time_and_commits_before_reporting_failure() -> None:
    apply_job = gitlab_ci()["apply"]
    assert apply_job["resource_group"]
    lines = scripts(apply_job)
    applying = next(i for i, line in enumerate(lines) if "interform apply" in line)
    assert "status=$?" in lines[applying] and "set +e" in lines[applying]
    pushing = next(i for i, line in enumerate(lines) if "git push" in line)
    assert applying < pushing < lines.index('exit "$status"')
    assert any("interform.lock.journal" in line for line in lines)


@pytest.mark.parametrize(("name", "recipe"), recipes())
def test_apply_jobs_refresh_first_so_a_killed_runs_objects_are_adopted(
    name: str, recipe: dict[str, Any]
) -> None:
    # The runner's disk (and any journal on it) is gone after a killed CI job; only the
    # ownership markers remain, and only refresh looks for them.
    jobs = recipe.get("jobs", recipe)
    commands = [words[1:2] for words in invocations(jobs["apply"])]
    assert ["refresh"] in commands, name
    assert commands.index(["refresh"]) < commands.index(["apply"]), name
