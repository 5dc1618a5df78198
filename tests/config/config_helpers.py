"""Real projects in temporary directories, and the CLI run on them."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner, Result

from interform.cli import main
from interform.config import LoadedDefinition, load_definitions, load_project
from interform.errors import UserError

REPO = Path(__file__).resolve().parents[2]
BROKEN = REPO / "tests" / "broken"
TEMPLATE_ID = "46b98d37-1557-4391-beca-03037ead19f2"

PROJECT = f"""\
project: config-tests
targets:
  micro1:
    provider: micro1
  jobmojito:
    provider: jobmojito
  instaview:
    provider: instaview
  versive:
    provider: versive
defaults:
  language: en
  jobmojito:
    interview_template_id: {TEMPLATE_ID}
"""


def make_project(root: Path, files: Mapping[str, str], project: str = PROJECT) -> Path:
    """interform.yaml plus `files` (paths relative to the root) under `root`."""
    (root / "interform.yaml").write_text(project, encoding="utf-8")
    (root / "interviews").mkdir(exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def load(root: Path, paths: list[Path] | None = None) -> list[LoadedDefinition]:
    return load_definitions(root, load_project(root), paths)


def problems(root: Path, paths: list[Path] | None = None) -> list[str]:
    """Every problem line a validation of `root` reports (empty when valid)."""
    try:
        load(root, paths)
    except UserError as err:
        return err.lines()
    return []


def copy_examples(target: Path) -> Path:
    """The repository's example project, copied (validating writes a cache)."""
    shutil.copy(REPO / "interform.yaml", target / "interform.yaml")
    shutil.copytree(REPO / "interviews", target / "interviews")
    return target


def run(*args: str) -> Result:
    """The CLI in the current directory (tests chdir with monkeypatch first)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)
