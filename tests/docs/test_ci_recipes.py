"""The CI recipes: the GitHub workflows that `interform init --ci github` writes and the
GitLab CI file in docs/ci.md parse, call only real commands and options, and keep the
promises the CI guide makes (a fork-safe sticky comment, detailed exit codes, one apply
at a time from the branch's tip, the lockfile committed back and pushed through the merge
driver, the pinned version installed, a reviewed path to --force). tests/e2e/
test_ci_workflow.py runs the GitHub apply job itself."""

from __future__ import annotations

import re
from typing import Any

import pytest
from ruamel.yaml import YAML

from interform import __version__
from interform.scaffold import ci_files

from .commands import check_invocation, interform_invocations
from .support import ROOT


def load(text: str) -> dict[str, Any]:
    loaded = YAML(typ="safe").load(text)
    assert isinstance(loaded, dict)
    return loaded


def github_workflow(name: str = "interform.yml") -> dict[str, Any]:
    """A workflow exactly as `interform init --ci github` writes it."""
    return load(ci_files("github")[f".github/workflows/{name}"])


def gitlab_ci() -> dict[str, Any]:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# \.gitlab-ci\.yml\n.*?)```", text, re.S)
    assert block, "docs/ci.md must hold the .gitlab-ci.yml snippet"
    return load(block.group(1))


def scripts(job: dict[str, Any]) -> list[str]:
    """Every shell line a job runs, in order (GitHub `run:` steps or GitLab `script:`)."""
    chunks = [str(s["run"]) for s in job.get("steps", []) if "run" in s]
    chunks += [str(line) for line in job.get("before_script", [])]
    chunks += [str(line) for line in job.get("script", [])]
    return [line for chunk in chunks for line in chunk.splitlines()]


def invocations(job: dict[str, Any]) -> list[list[str]]:
    return [words for line in scripts(job) for words in interform_invocations(line)]


def jobs(recipe: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = recipe.get("jobs", recipe)
    return {name: job for name, job in found.items() if isinstance(job, dict)}


def recipes() -> list[tuple[str, dict[str, Any]]]:
    return [("github", github_workflow()), ("gitlab", gitlab_ci())]


def gitlab_apply_script() -> list[str]:
    recipe = gitlab_ci()
    assert recipe["apply"]["extends"] == ".apply"
    return scripts(recipe[".apply"])


def github_apply_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = github_workflow()["jobs"]["apply"]["steps"]
    return steps


def step_index(steps: list[dict[str, Any]], text: str) -> int:
    return next(i for i, s in enumerate(steps) if text in str(s.get("run", s.get("uses"))))


@pytest.mark.parametrize(("name", "recipe"), recipes())
def test_every_interform_command_in_the_recipe_is_real(name: str, recipe: dict[str, Any]) -> None:
    found = [w for job in jobs(recipe).values() for w in invocations(job)]
    assert len(found) >= 6, name
    for words in found:
        assert check_invocation(words) is None, f"{name}: {' '.join(words)}"


@pytest.mark.parametrize(("name", "recipe"), recipes())
def test_the_plan_job_validates_and_renders_a_markdown_plan_with_exit_codes(
    name: str, recipe: dict[str, Any]
) -> None:
    plan_job = jobs(recipe)["plan"]
    validate_job = recipe.get("validate", {})  # GitLab validates in a job of its own
    lines = scripts(plan_job)
    commands = [" ".join(w) for w in invocations(plan_job) + invocations(validate_job)]
    assert "interform validate" in commands
    assert any(c.startswith("interform plan --detailed-exitcode --markdown") for c in commands)
    # 2 means "changes", not failure: only other codes may fail the step
    assert any(re.search(r'-ne 0 \] && \[ "\$code" -ne 2', line) for line in lines), name


@pytest.mark.parametrize(("name", "recipe"), recipes())
def test_nothing_names_the_default_branch(name: str, recipe: dict[str, Any]) -> None:
    text = str(recipe)
    assert not re.search(r"\bmain\b|\bmaster\b", text), name
    assert "default_branch" in text or "CI_DEFAULT_BRANCH" in text


def installs_the_pin(lines: list[str]) -> bool:
    text = "\n".join(lines)
    return (
        "required_version" in text
        and 'pip install "interform==$pin"' in text
        and 'pip install "interform @ git+$INTERFORM_REPOSITORY@v$pin"' in text
    )


def test_every_github_job_that_runs_interform_installs_the_pinned_version() -> None:
    running = {n: j for n, j in jobs(github_workflow()).items() if invocations(j)}
    assert set(running) == {"plan", "force-plan", "apply"}
    for name, job in running.items():
        install = step_index(job["steps"], "required_version")
        first_use = min(
            i
            for i, s in enumerate(job["steps"])
            if list(interform_invocations(str(s.get("run", ""))))
        )
        assert installs_the_pin(scripts({"steps": [job["steps"][install]]})), name
        assert install < first_use, name


def test_every_gitlab_job_installs_the_pinned_version() -> None:
    recipe = gitlab_ci()
    assert installs_the_pin(scripts(recipe["default"]))
    assert not any(
        "before_script" in job for job in jobs(recipe).values() if job is not recipe["default"]
    )


# ---------------------------------------------------------------------- GitHub


def test_github_pull_requests_plan_with_a_read_only_token_and_no_credentials() -> None:
    workflow = github_workflow()
    plan = workflow["jobs"]["plan"]
    assert plan["permissions"] == {"contents": "read"}
    assert "secrets." not in str(plan) and "secrets." not in str(workflow.get("env", {}))
    planning = next(s for s in plan["steps"] if "plan --detailed-exitcode" in str(s.get("run")))
    # the comment says where the whole plan is: the run's summary, which gets all of it
    assert '--full-plan-at "$RUN_URL" > plan.md' in planning["run"]
    assert 'interform plan --markdown --limit 0 >> "$GITHUB_STEP_SUMMARY"' in planning["run"]
    upload = next(s for s in plan["steps"] if "upload-artifact" in str(s.get("uses")))
    assert upload["with"]["name"] == "interform-plan" and upload["if"] == "always()"


def test_github_comment_comes_from_a_workflow_run_that_never_runs_the_pull_request() -> None:
    comment = github_workflow("interform-comment.yml")
    assert comment["on"] == {"workflow_run": {"workflows": ["interform"], "types": ["completed"]}}
    assert github_workflow()["name"] == "interform"
    job = comment["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    uses = [str(s.get("uses")) for s in job["steps"]]
    assert not any("checkout" in u for u in uses)
    download = next(s for s in job["steps"] if "download-artifact" in str(s.get("uses")))
    assert download["with"]["name"] == "interform-plan"
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    script = next(s["with"]["script"] for s in job["steps"] if "github-script" in s["uses"])
    assert "<!-- interform-plan -->" in script
    assert "updateComment" in script and "createComment" in script
    # the pull request is found by the commit planned, not by anything the run uploaded
    assert "p.head.sha === run.head_sha" in script


def test_github_applies_one_at_a_time_from_the_tip_of_the_default_branch() -> None:
    workflow = github_workflow()
    assert set(workflow["on"]) == {"pull_request", "push", "workflow_dispatch"}
    assert workflow["on"]["push"] is None  # every branch: the job picks the default one
    apply_job = workflow["jobs"]["apply"]
    assert "github.ref_name == github.event.repository.default_branch" in apply_job["if"]
    assert apply_job["concurrency"] == {"group": "interform-apply", "cancel-in-progress": False}
    steps = apply_job["steps"]
    checkout = steps[0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"
    order = [
        step_index(steps, "interform lockfile setup-git"),
        step_index(steps, 'git pull --ff-only origin "$BRANCH"'),
        step_index(steps, "interform refresh"),
        step_index(steps, "interform apply --auto-approve"),
        step_index(steps, 'git push origin "HEAD:$BRANCH"'),
    ]
    assert order == sorted(order)


def test_github_always_commits_the_lockfile_and_pushes_it_with_a_bounded_retry() -> None:
    steps = github_apply_steps()
    applying = step_index(steps, "interform apply --auto-approve")
    assert steps[applying].get("continue-on-error") is True
    pushing = step_index(steps, 'git push origin "HEAD:$BRANCH"')
    push = steps[pushing]
    assert push["if"] == "always()" and push["id"] == "push"
    assert "interform.lock.journal" in push["run"]
    assert "for attempt in 1 2 3 4 5; do" in push["run"]
    assert 'git pull --rebase origin "$BRANCH"' in push["run"]
    keep = steps[pushing + 1]
    assert "upload-artifact" in keep["uses"] and keep["with"]["name"] == "interform-unpushed"
    assert keep["if"] == "failure() && steps.push.outcome == 'failure'"
    # the failure stays visible once the lockfile is safe
    assert steps[-1]["if"] == "steps.apply.outcome == 'failure'"


def test_github_credentials_reach_only_the_apply_job() -> None:
    workflow = github_workflow()
    for name, job in workflow["jobs"].items():
        credentials = [v for v in job.get("env", {}).values() if "secrets." in str(v)]
        credentials = [v for v in credentials if "INTERFORM_PLAN_KEY" not in v]
        assert bool(credentials) is (name == "apply"), name
        assert "secrets." not in str(job.get("steps")), name
    assert "secrets.MICRO1_API_KEY" in str(workflow["jobs"]["apply"]["env"])
    # the key that signs a forced plan, in the job that saves it and the one that applies it
    for name in ("force-plan", "apply"):
        key = workflow["jobs"][name]["env"]["INTERFORM_PLAN_KEY"]
        assert key == "${{ secrets.INTERFORM_PLAN_KEY }}", name


def test_github_force_applies_the_reviewed_plan_after_an_approval() -> None:
    workflow = github_workflow()
    assert workflow["on"]["workflow_dispatch"]["inputs"]["force"]["type"] == "boolean"
    jobs_ = workflow["jobs"]
    plan = jobs_["force-plan"]
    assert "inputs.force" in plan["if"]
    assert any("interform plan --force --out plan.json" in str(s.get("run")) for s in plan["steps"])
    assert jobs_["force-review"] == {**jobs_["force-review"], "needs": "force-plan"}
    assert jobs_["force-review"]["environment"] == "interform-force"
    apply_job = jobs_["apply"]
    assert apply_job["needs"] == "force-review"
    assert "needs.force-review.result == 'success'" in apply_job["if"]
    assert "interform-force-plan/plan.json" in apply_job["env"]["PLAN_FILE"]
    applying = apply_job["steps"][step_index(apply_job["steps"], "interform apply")]
    assert 'interform apply "$PLAN_FILE"' in applying["run"]
    # a saved plan is applied as saved: no refresh may change the lockfile under it
    refresh = apply_job["steps"][step_index(apply_job["steps"], "interform refresh")]
    assert refresh["if"] == "env.PLAN_FILE == ''"


# ---------------------------------------------------------------------- GitLab


def test_gitlab_plan_note_is_sticky() -> None:
    script = "\n".join(scripts(gitlab_ci()["plan"]))
    assert "<!-- interform-plan -->" in script
    assert '"PUT"' in script and '"POST"' in script


def test_gitlab_applies_one_at_a_time_from_the_tip_and_pushes_with_a_retry() -> None:
    recipe = gitlab_ci()
    base = recipe[".apply"]
    assert base["resource_group"] and base["interruptible"] is False
    lines = gitlab_apply_script()
    assert lines[:2] == [
        'git fetch --quiet origin "$CI_DEFAULT_BRANCH"',
        'git checkout --quiet -B "$CI_DEFAULT_BRANCH" FETCH_HEAD',
    ]
    setup = lines.index("interform lockfile setup-git")
    applying = next(i for i, line in enumerate(lines) if "interform apply --auto-approve" in line)
    assert "status=$?" in lines[applying] and "set +e" in lines[applying]
    pushing = next(i for i, line in enumerate(lines) if "git push" in line)
    assert setup < applying < pushing < lines.index('exit "$status"')
    assert any("for attempt in 1 2 3 4 5; do" in line for line in lines)
    assert any("git pull --rebase origin" in line for line in lines)
    assert any("interform.lock.journal" in line for line in lines)
    assert base["artifacts"] == {"when": "on_failure", "paths": ["interform-unpushed/"]}


def test_gitlab_force_apply_is_manual_behind_an_environment() -> None:
    recipe = gitlab_ci()
    assert "interform plan --force --out plan.json" in scripts(recipe["force-plan"])
    force = recipe["force-apply"]
    assert force["extends"] == ".apply" and force["needs"] == ["force-plan"]
    assert force["environment"] == {"name": "interform-force"}
    assert force["variables"] == {"PLAN_FILE": "plan.json"}
    assert all(rule["when"] == "manual" for rule in force["rules"])


@pytest.mark.parametrize(("name", "recipe"), recipes())
def test_apply_jobs_refresh_first_so_a_killed_runs_objects_are_adopted(
    name: str, recipe: dict[str, Any]
) -> None:
    # The runner's disk (and any journal on it) is gone after a killed CI job; only the
    # ownership markers remain, and only refresh looks for them.
    job = recipe["jobs"]["apply"] if "jobs" in recipe else recipe[".apply"]
    commands = [words[1:2] for words in invocations(job)]
    assert ["refresh"] in commands, name
    assert commands.index(["refresh"]) < commands.index(["apply"]), name


def test_install_lines_name_the_current_version() -> None:
    # the docs install (and pre-commit pins) one version: the one this repository is
    pinned = []
    for rel in ("docs/ci.md", "docs/getting-started.md", ".pre-commit-hooks.yaml"):
        text = (ROOT / rel).read_text(encoding="utf-8")
        pinned += re.findall(r"(?:interform@|rev: )v(\d[\w.]*)", text)
    assert len(pinned) >= 5
    assert set(pinned) == {__version__}
