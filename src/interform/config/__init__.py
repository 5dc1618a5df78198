"""Definitions and the project file: YAML → validated models, every problem positioned.

    load_project(root)                      interform.yaml → Project
    load_definitions(root, project, paths)  interviews/**/*.yaml → [LoadedDefinition]
    locate(root, relpath, yaml_path)        (line, col) of a YAML path in a file

Pass 1 is YAML syntax and file hygiene (`yamlparse`, `source`), pass 2 the pydantic
models (`schema_errors` words the errors), pass 3 the semantic rules (`rules`).

This module stays cheap to import (command modules import it at top level); the
implementation, which needs pydantic and ruamel.yaml, loads on first call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interform.config.rules import Applied
    from interform.model.definition import Definition
    from interform.model.project import Project

YamlPath = tuple[str | int, ...]


class LoadedDefinition:
    """One valid definition file. `definition` is built on first use: a repeat run takes
    a clean, unchanged file from the cache and, when its rendering is cached too, never
    needs the model at all."""

    __slots__ = ("_cached", "_definition", "address", "digest", "path")

    def __init__(
        self,
        address: str,  # "engineering/backend-senior"
        path: str,  # posix, relative to the project root: "interviews/engineering/x.yaml"
        definition: Definition | None,  # project defaults merged, validated
        digest: str,  # "sha256:<hex>" of the file's bytes
        cached: str | None = None,  # or its validated JSON text, from the cache
    ) -> None:
        if definition is None and cached is None:
            raise ValueError("a LoadedDefinition needs its definition or the cached JSON")
        self.address = address
        self.path = path
        self.digest = digest
        self._definition = definition
        self._cached = cached

    @property
    def definition(self) -> Definition:
        if self._definition is None:
            from interform.config.loader import build_cached

            assert self._cached is not None
            self._definition = build_cached(self._cached, self.path)
        return self._definition

    def release(self) -> None:
        """Drop the model when it can be built again from its JSON text: 10,000 models
        held to the end of a run would be most of its memory."""
        if self._cached is not None:
            self._definition = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LoadedDefinition):
            return NotImplemented
        mine = (self.address, self.path, self.digest)
        return mine == (other.address, other.path, other.digest) and (
            self.definition == other.definition
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LoadedDefinition({self.address!r}, {self.path!r}, {self.digest!r})"


def load_project(root: Path) -> Project:
    """Parse and validate `root/interform.yaml`. Raises UserError with every problem."""
    from interform.config.project import load_project as load

    return load(root)


def load_definitions(
    root: Path,
    project: Project,
    paths: Sequence[Path] | None = None,
    on_loaded: Callable[[LoadedDefinition], None] | None = None,
    applied: Applied | None = None,
) -> list[LoadedDefinition]:
    """Every definition under `project.interviews` (or only `paths`: files or directories
    under it), validated, sorted by address. Raises UserError listing every problem in
    every file. `on_loaded` sees each valid definition while its model is still built
    (in file order); the models are released afterwards and built again on use.
    `applied` gives the request a lockfile records at an address (see `RuleContext`)."""
    from interform.config.loader import load_definitions as load
    from interform.config.rules import nothing_applied

    return load(root, project, paths, on_loaded, applied or nothing_applied)


def locate(root: Path, relpath: str, yaml_path: YamlPath) -> tuple[int, int]:
    """1-based (line, col) of the key/value at `yaml_path` in `root/relpath`: the nearest
    existing ancestor when the path does not exist, (1, 1) for the root."""
    from interform.config.positions import locate as find

    return find(root, relpath, yaml_path)


__all__ = ["LoadedDefinition", "load_definitions", "load_project", "locate"]
