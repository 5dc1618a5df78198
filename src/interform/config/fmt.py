"""`interform fmt`: one canonical layout for definitions and interform.yaml.

ruamel.yaml's round trip keeps comments, key order and quoting; the layout is fixed:
2-space indentation, list items indented by 2 under their key with a `- ` offset, no
re-wrapping of long lines, exactly one trailing newline. Formatting is idempotent
(the tests check it on every example). A file that fails pass 1 is not touched.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from interform.config.loader import rel_path
from interform.config.source import SourceError, parse_mapping, read_source
from interform.config.walk import EXTENSIONS, yaml_files
from interform.errors import Problem
from interform.paths import definitions_dir, is_within
from interform.project_root import PROJECT_FILE

WIDTH: Final = 4096  # never fold long question texts


@dataclass(frozen=True)
class Formatted:
    rel: str
    path: Path
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def first_difference(self) -> int:
        """1-based line of the first difference."""
        before, after = self.before.splitlines(), self.after.splitlines()
        for number, (old, new) in enumerate(zip(before, after, strict=False), 1):
            if old != new:
                return number
        return min(len(before), len(after)) + 1


def canonical(text: str) -> str:
    """The canonical layout of a YAML text that passed pass 1."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    yaml.preserve_quotes = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = yaml.load(text)
        out = io.StringIO()
        yaml.dump(data, out)
    return out.getvalue().rstrip() + "\n"


def targets(
    root: Path, interviews: str, paths: Sequence[Path] | None
) -> tuple[list[Path], list[Problem]]:
    """interform.yaml and every definition, or the given files and directories; and a
    problem for each file refused (fmt rewrites files: never one outside the project)."""
    root = Path(os.path.realpath(root))
    if not paths:
        base, outside = definitions_dir(root, interviews)
        if outside is not None:
            return [root / PROJECT_FILE], [Problem(PROJECT_FILE, 0, 0, f"interviews: {outside}")]
        found, problems = yaml_files(base, root) if base.is_dir() else ([], [])
        return [root / PROJECT_FILE, *found], problems
    files: list[Path] = []
    problems = []
    for given in paths:
        if not is_within(Path(os.path.realpath(given)), root):
            problems.append(Problem(str(given), 0, 0, "is outside the project", "pass its files"))
        elif given.is_dir():
            found, refused = yaml_files(given, root)
            files += found
            problems += refused
        else:
            files.append(given)
    return sorted(set(files), key=str), problems


def format_files(root: Path, files: Sequence[Path]) -> tuple[list[Formatted], list[Problem]]:
    """Every file's canonical text, and a problem for each file fmt refuses."""
    results: list[Formatted] = []
    problems: list[Problem] = []
    for path in files:
        rel = rel_path(root, path.resolve())
        if path.suffix not in EXTENSIONS:
            problems.append(Problem(rel, 0, 0, "not a YAML file", "pass .yaml or .yml files"))
            continue
        try:
            source = read_source(path, rel)
            parse_mapping(source, "key: value lines")
        except SourceError as err:
            problems.append(err.problem)
            continue
        results.append(Formatted(rel, path, source.text, canonical(source.text)))
    return results, problems


def write(formatted: Formatted) -> None:
    """Replace the file atomically, keeping its permissions; a symbolic link's target is
    rewritten, the link kept."""
    from interform.atomic import atomic_write

    path = Path(os.path.realpath(formatted.path))
    atomic_write(path, formatted.after, path.stat().st_mode & 0o7777)
