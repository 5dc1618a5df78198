"""Finding the project: walk up from the working directory to the nearest interform.yaml,
like git finds .git."""

from __future__ import annotations

from pathlib import Path

from interform.errors import UserError

PROJECT_FILE = "interform.yaml"


def find_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / PROJECT_FILE).is_file():
            return directory
    raise UserError(
        f"no {PROJECT_FILE} in {here} or any parent directory",
        fix="run `interform init` to create a project, or use -C DIR to point at one",
    )
