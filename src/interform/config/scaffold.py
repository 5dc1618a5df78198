"""`interform init`: the files of a new project, from the templates shipped in the
package (`interform/data/templates/`). Nothing existing is ever overwritten."""

from __future__ import annotations

import re
import secrets
from importlib import resources
from pathlib import Path
from typing import Final

from interform.errors import Problem, UserError
from interform.project_root import PROJECT_FILE

GITIGNORE_LINE: Final = ".interform/"
WORKFLOW: Final = ".github/workflows/interform.yml"
CI_CHOICES: Final = ("github",)


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


def planned_files(directory: Path, ci: str | None) -> dict[str, str]:
    """Relative path → content of every file init writes (.gitignore aside)."""
    from interform.config.published import SCHEMAS_DIR
    from interform.schemas import generated

    files = {
        PROJECT_FILE: template("interform.yaml").replace("{{project}}", project_id(directory)),
        "interviews/example.yaml": template("example.yaml"),
    }
    # exactly what `interform schema` writes, so `interform schema --check` passes
    files.update({f"{SCHEMAS_DIR}/{name}": text for name, text in generated().items()})
    if ci == "github":
        files[WORKFLOW] = template("github", "interform.yml")
    return files


def init(directory: Path, ci: str | None) -> list[str]:
    """Write the project's files; the list of what was created or changed.

    Refuses, writing nothing, when any of the files exists. An existing .gitignore is
    the exception: it is kept, and `.interform/` is appended when missing."""
    files = planned_files(directory, ci)
    existing = sorted(rel for rel in files if (directory / rel).exists())
    if existing:
        raise UserError(
            [
                Problem(rel, 0, 0, "already exists", "move it away or run init elsewhere")
                for rel in existing
            ]
        )
    done = []
    for rel, text in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        done.append(rel)
    if _ignore_state(directory / ".gitignore"):
        done.append(".gitignore")
    return done


def _ignore_state(gitignore: Path) -> bool:
    """Make git ignore interform's local state; False when it already does."""
    if not gitignore.exists():
        gitignore.write_text(
            f"# local state of interform: caches, sandbox accounts\n{GITIGNORE_LINE}\n",
            encoding="utf-8",
        )
        return True
    text = gitignore.read_text(encoding="utf-8")
    if any(line.strip() in (GITIGNORE_LINE, ".interform") for line in text.splitlines()):
        return False
    separator = "" if text.endswith("\n") or not text else "\n"
    gitignore.write_text(f"{text}{separator}{GITIGNORE_LINE}\n", encoding="utf-8")
    return True
