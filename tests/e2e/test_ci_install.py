"""The install step of the CI recipes, run in bash with a `pip` that records its
arguments: it installs exactly the version interform.yaml pins, from the source
repository (or the package index when none is set), and refuses anything else."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from interform.scaffold import ci_files

from .workflow import fake_pip

ROOT = Path(__file__).resolve().parents[2]
REPOSITORY = "https://git.example.com/tools/interform.git"


def github_step() -> str:
    workflow = YAML(typ="safe").load(ci_files("github")[".github/workflows/interform.yml"])
    step = next(s for s in workflow["jobs"]["apply"]["steps"] if "required_version" in str(s))
    return str(step["run"])


def gitlab_step() -> str:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# \.gitlab-ci\.yml\n.*?)```", text, re.S)
    assert block
    lines = YAML(typ="safe").load(block[1])["default"]["before_script"]
    return str(next(line for line in lines if "required_version" in line))


STEPS = {"github": github_step, "gitlab": gitlab_step}


def install(tmp_path: Path, recipe: str, settings: str, repository: str) -> tuple[int, str, str]:
    """(exit code, output, what pip was asked) of the step in a project with `settings`."""
    (tmp_path / "interform.yaml").write_text(settings)
    log = fake_pip(tmp_path / "bin")
    env = {
        **os.environ,
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "INTERFORM_REPOSITORY": repository,
    }
    script = tmp_path / "step.sh"
    script.write_text(STEPS[recipe]())
    done = subprocess.run(
        ["bash", "-eo", "pipefail", str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    asked = log.read_text().strip() if log.exists() else ""
    return done.returncode, done.stdout + done.stderr, asked


@pytest.mark.parametrize("recipe", STEPS)
@pytest.mark.parametrize(
    "pin",
    ['"0.1.0"', "'0.1.0'", "0.1.0  # upgrade in a pull request", '"= 0.1.0"', '"=0.1.0"'],
)
def test_the_pinned_version_is_installed_from_the_source_repository(
    tmp_path: Path, recipe: str, pin: str
) -> None:
    code, output, asked = install(tmp_path, recipe, f"required_version: {pin}\n", REPOSITORY)
    assert code == 0, output
    assert asked == f"install interform @ git+{REPOSITORY}@v0.1.0"


@pytest.mark.parametrize("recipe", STEPS)
def test_without_a_repository_the_pinned_version_comes_from_the_index(
    tmp_path: Path, recipe: str
) -> None:
    code, output, asked = install(tmp_path, recipe, 'required_version: "0.2.0rc1"\n', "")
    assert code == 0, output
    assert asked == "install interform==0.2.0rc1"


@pytest.mark.parametrize("recipe", STEPS)
@pytest.mark.parametrize(
    "settings",
    ["targets: {}\n", 'required_version: ">= 0.1, < 0.2"\n', 'required_version: "~> 0.1"\n'],
)
def test_no_exact_pin_is_refused_before_installing(
    tmp_path: Path, recipe: str, settings: str
) -> None:
    code, output, asked = install(tmp_path, recipe, settings, REPOSITORY)
    assert code == 1 and asked == ""
    assert (
        'CI installs one exact version: pin it in interform.yaml, e.g. required_version: "0.1.0"'
        in output
    )


def test_the_github_placeholder_repository_is_refused(tmp_path: Path) -> None:
    placeholder = "https://github.com/OWNER/interform"
    code, output, asked = install(tmp_path, "github", 'required_version: "0.1.0"\n', placeholder)
    assert code == 1 and asked == ""
    assert (
        "set INTERFORM_REPOSITORY in this workflow to the git URL you install interform from"
        in output
    )
