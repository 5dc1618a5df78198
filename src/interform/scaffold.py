"""`interform init`: the files of a new project, from the templates shipped in the
package (`interform/data/templates/`), and what a project needs in git and CI.

In a directory without interform.yaml it creates a project, refusing (writing nothing)
when any of its files exists. In an existing project it adds only what is missing (the
CI workflows asked for, `.gitattributes` and `.gitignore` lines) and touches nothing
else, so it can be run again at any time. Inside a git clone it also configures the
lockfile's merge driver in that clone."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Final

from interform import __version__, hints
from interform.config.source import unchecked_settings
from interform.errors import Problem, UserError
from interform.project_root import PROJECT_FILE

GITIGNORE_LINE: Final = ".interform/"
GITIGNORE_COMMENT: Final = "# local state of interform: caches, sandbox accounts"
WORKFLOWS: Final = {
    "github": {
        ".github/workflows/interform.yml": "interform.yml",
        ".github/workflows/interform-comment.yml": "interform-comment.yml",
    }
}
# where CI installs interform from, when the one running was not installed from git
PLACEHOLDER_REPOSITORY: Final = "https://github.com/OWNER/interform"


def template(*parts: str) -> str:
    node = resources.files("interform").joinpath("data").joinpath("templates")
    for part in parts:
        node = node.joinpath(part)
    return node.read_text("utf-8")


def project_id(directory: Path) -> str:
    """The directory's name as a slug plus a random suffix: unique enough that two
    projects never claim each other's remote objects."""
    stem = re.sub(r"[^a-z0-9]+", "-", directory.name.lower()).strip("-") or "interviews"
    return f"{stem[:40]}-{secrets.token_hex(3)}"


def installed_from() -> str | None:
    """The git repository this interform was installed from, as pip recorded it (PEP 610
    `direct_url.json`); None when it came from elsewhere (a package index, a directory)."""
    try:
        recorded = metadata.distribution("interform").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    try:
        data = json.loads(recorded or "{}")
    except ValueError:
        return None
    vcs = data.get("vcs_info") if isinstance(data, dict) else None
    url = data.get("url") if isinstance(data, dict) else None
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and isinstance(url, str):
        return url
    return None


def ci_files(ci: str | None) -> dict[str, str]:
    """Relative path → content of the CI files of `ci` (none for None)."""
    if ci is None:
        return {}
    repository = installed_from() or PLACEHOLDER_REPOSITORY
    return {
        rel: template(ci, name).replace("{{repository}}", repository)
        for rel, name in WORKFLOWS[ci].items()
    }


def planned_files(directory: Path, ci: str | None) -> dict[str, str]:
    """Relative path → content of every file a new project gets (.git* files aside)."""
    from interform.schemas import SCHEMAS_DIR, generated

    settings = template("interform.yaml").replace("{{project}}", project_id(directory))
    files = {
        PROJECT_FILE: settings.replace("{{version}}", __version__),
        "interviews/example.yaml": template("example.yaml"),
    }
    # exactly what `interform schema` writes, so `interform schema --check` passes
    files.update({f"{SCHEMAS_DIR}/{name}": text for name, text in generated().items()})
    files.update(ci_files(ci))
    return files


def init(directory: Path, ci: str | None) -> list[str]:
    """Set the project up; one line for each thing done, then what to do next."""
    existing = (directory / PROJECT_FILE).is_file()
    lines = _add_to_project(directory, ci) if existing else _new_project(directory, ci)
    lines += _ignore_state(directory / ".gitignore")
    settings = unchecked_settings(directory)
    lines += _git(directory, settings.get("lockfile", "interform.lock"))
    if ci and installed_from() is None:
        lines.append(
            "set INTERFORM_REPOSITORY in the workflow to the git URL your team installs "
            "interform from: it has no release on PyPI yet"
        )
    if "required_version" not in settings:
        lines.append(
            f'add `required_version: "{__version__}"` to {PROJECT_FILE}: CI installs the '
            "version it pins"
        )
    lines.append(
        "next: review the new files and commit them"
        if existing
        else f"next: edit interviews/example.yaml, then run `{hints.command('validate')}`"
    )
    return lines


def _new_project(directory: Path, ci: str | None) -> list[str]:
    files = planned_files(directory, ci)
    taken = sorted(rel for rel in files if (directory / rel).exists())
    if taken:
        raise UserError(
            [
                Problem(rel, 0, 0, "already exists", "move it away or run init elsewhere")
                for rel in taken
            ]
        )
    for rel, text in files.items():
        _write(directory / rel, text)
    return [f"created {rel}" for rel in files]


def _add_to_project(directory: Path, ci: str | None) -> list[str]:
    """The CI files asked for that are missing; nothing else of the project is touched."""
    lines = []
    for rel, text in ci_files(ci).items():
        if (directory / rel).exists():
            lines.append(
                f"kept {rel} (it exists: compare it with the one `interform init --ci {ci}` "
                "writes in an empty directory)"
            )
        else:
            _write(directory / rel, text)
            lines.append(f"created {rel}")
    return lines


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _git(directory: Path, lockfile: Any) -> list[str]:
    """`.gitattributes` routing the lockfile to interform's merge driver, and the driver
    itself in the clone's config."""
    from interform.git import add_attribute, attribute_pattern, configure_driver, work_tree

    try:
        pattern = attribute_pattern(directory / lockfile, directory)
    except (TypeError, ValueError):
        return []  # not a path inside the project: validate reports it
    attributes = directory / ".gitattributes"
    lines = _written(attributes, lambda: add_attribute(attributes, pattern))
    top = work_tree(directory)
    if top is None:
        setup = hints.command("lockfile", "setup-git")
        lines.append(f"not in a git clone: after `git init`, run `{setup}`")
    else:
        configure_driver(top)
        lines.append(f"git merges {lockfile} with `interform lockfile merge` in this clone")
    return lines


def _ignore_state(gitignore: Path) -> list[str]:
    """Make git ignore interform's local state."""
    from interform.git import append_line

    return _written(
        gitignore,
        lambda: append_line(gitignore, GITIGNORE_LINE, GITIGNORE_COMMENT, same=(".interform",)),
    )


def _written(path: Path, write: Callable[[], bool]) -> list[str]:
    """`created`/`updated` and the file's name when `write` wrote to it."""
    existed = path.exists()
    if not write():
        return []
    return [f"{'updated' if existed else 'created'} {path.name}"]
