"""Runs a job of the GitLab CI recipe in docs/ci.md on this machine, as a runner would:
the pipeline's commit checked out detached, `default.before_script` then the job's
`script` (after `extends`) in one bash session that stops at the first failing line.

The job pushes to `https://interform:$INTERFORM_BOT_TOKEN@$CI_SERVER_HOST/...`; git's
`url.<base>.insteadOf` (in the job's own git config) sends that to the bare repository
standing in for GitLab. `apt-get` is a no-op: git is installed here already."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from .workflow import JobResult, Step, run_bash

ROOT = Path(__file__).resolve().parents[2]
HOST = "gitlab.example.com"
PROJECT_PATH = "hiring/interviews"
TOKEN = "glpat-test-token"


def recipe_text() -> str:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# \.gitlab-ci\.yml\n.*?)```", text, re.S)
    assert block, "docs/ci.md must hold the .gitlab-ci.yml snippet"
    return block[1]


def job_script(recipe: dict[str, Any], name: str) -> list[str]:
    job = dict(recipe[name])
    while "extends" in job:
        base = recipe[job.pop("extends")]
        job = {**base, **job}
    return [*recipe["default"]["before_script"], *job["script"]]


def run_job(
    recipe: dict[str, Any],
    name: str,
    *,
    remote: Path,
    sha: str,
    branch: str,
    workspace: Path,
    env: dict[str, str],
    pre_push: str = "",
) -> JobResult:
    """The job's result; `pre_push`, a shell script run before the job's pushes (git's
    pre-push hook), lets a test act at that moment."""
    workspace.mkdir(parents=True)
    clone = subprocess.run(
        ["git", "clone", "-q", str(remote), "."], cwd=workspace, env=env, capture_output=True
    )
    assert clone.returncode == 0, clone
    subprocess.run(["git", "checkout", "-q", "--detach", sha], cwd=workspace, env=env, check=True)
    if pre_push:
        hook = workspace / ".git" / "hooks" / "pre-push"
        hook.write_text(pre_push)
        hook.chmod(0o755)
    config = workspace.parent / "gitconfig"
    push_url = f"https://interform:{TOKEN}@{HOST}/{PROJECT_PATH}.git"
    config.write_text(f'[url "{remote}"]\n\tinsteadOf = {push_url}\n')
    job_env = {
        **env,
        **{k: str(v) for k, v in recipe.get("variables", {}).items()},
        "GIT_CONFIG_GLOBAL": str(config),
        "CI": "true",
        "CI_DEFAULT_BRANCH": branch,
        "CI_COMMIT_BRANCH": branch,
        "CI_COMMIT_SHA": sha,
        "CI_PIPELINE_SOURCE": "push",
        "CI_SERVER_HOST": HOST,
        "CI_PROJECT_PATH": PROJECT_PATH,
        "INTERFORM_BOT_TOKEN": TOKEN,
    }
    script = "\n".join(job_script(recipe, name)) + "\n"
    outcome, output = run_bash(script, workspace.parent / "job.sh", workspace, job_env)
    return JobResult(outcome, [Step(name, outcome, output)])


def load_recipe(text: str) -> dict[str, Any]:
    loaded = YAML(typ="safe").load(text)
    assert isinstance(loaded, dict)
    return loaded
