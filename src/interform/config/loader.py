"""Definitions: find the files, name them, run the three passes, collect every problem.

The happy path per file: read, hash, cache hit. A hit that passed the rules in the same
context (address, targets) is done: its model is built only if something uses it. Any
other hit is built and checked. On a miss the fast parser runs, defaults are merged,
pydantic validates and the rules run. The round-trip loader (slow) runs only for a file
that has a problem to position.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from interform.cache import CACHE_FILE, DefinitionCache
from interform.config import LoadedDefinition
from interform.config.issues import Issue, YamlPath
from interform.config.rules import Applied, RuleContext, check, nothing_applied, reads_clock
from interform.config.source import Source, SourceError, parse_mapping, read_source
from interform.config.walk import EXTENSIONS, yaml_files
from interform.errors import Problem, UserError
from interform.gc_tuning import paused
from interform.model.address import DEFINITION_RE
from interform.model.definition import Definition
from interform.model.merge import lookup, merge_defaults
from interform.model.project import Project
from interform.project_root import PROJECT_FILE

_FROM_DEFAULTS: Final = f" (set by defaults in {PROJECT_FILE})"


def load_definitions(
    root: Path,
    project: Project,
    paths: Sequence[Path] | None = None,
    on_loaded: Callable[[LoadedDefinition], None] | None = None,
    applied: Applied = nothing_applied,
) -> list[LoadedDefinition]:
    with paused():  # long-lived objects, no cycles: see interform.gc_tuning
        return _load_definitions(root.resolve(), project, paths, on_loaded, applied)


def _load_definitions(
    root: Path,
    project: Project,
    paths: Sequence[Path] | None,
    on_loaded: Callable[[LoadedDefinition], None] | None,
    applied: Applied,
) -> list[LoadedDefinition]:
    files, problems = find_files(root, project, paths)
    named, naming_problems = name_files(root, (root / project.interviews).resolve(), files)
    problems += naming_problems
    cache = DefinitionCache.open(root, project.defaults)
    loader = _FileLoader(root, project, cache, datetime.now(timezone.utc), on_loaded, applied)
    loaded, load_problems = loader.load_all(named)
    cache.save(complete=paths is None)
    problems += load_problems
    if problems:
        raise UserError(problems)
    return sorted(loaded, key=lambda d: d.address)


# ----------------------------------------------------------------------------- files


def find_files(
    root: Path, project: Project, paths: Sequence[Path] | None
) -> tuple[list[Path], list[Problem]]:
    base = (root / project.interviews).resolve()
    if paths is None:
        if not base.is_dir():
            return [], [
                Problem(
                    PROJECT_FILE,
                    1,
                    1,
                    f'the definitions directory "{project.interviews}" does not exist',
                    "create it, or set interviews: to the directory holding the definitions",
                )
            ]
        return yaml_files(base, root)
    files: list[Path] = []
    problems: list[Problem] = []
    for given in paths:
        path = given.resolve()
        if not (path == base or base in path.parents):
            problems.append(
                Problem(str(given), 0, 0, f"not under {project.interviews}/", "pass a definition")
            )
        elif path.is_dir():
            found, refused = yaml_files(path, root)
            files += found
            problems += refused
        elif path.is_file() and path.suffix in EXTENSIONS:
            files.append(path)
        else:
            problems.append(
                Problem(str(given), 0, 0, "no such definition file", "pass a .yaml file")
            )
    return sorted(set(files), key=str), problems


def name_files(
    root: Path, base: Path, files: Iterable[Path]
) -> tuple[list[tuple[Path, str, str]], list[Problem]]:
    """(file, path relative to the root, address) triples; a problem for an invalid or
    a repeated address."""
    named: list[tuple[Path, str, str]] = []
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for path in files:
        rel = rel_path(root, path)
        address = rel_path(base, path).rsplit(".", 1)[0]
        if not DEFINITION_RE.match(address):
            problems.append(
                Problem(
                    rel,
                    1,
                    1,
                    f'"{address}" is not a valid definition address',
                    f"rename the file to {base.name}/{suggest_address(address)}{path.suffix} "
                    '(lower-case letters, digits, ".", "_", "-")',
                )
            )
        elif address in first:
            problems.append(
                Problem(
                    rel,
                    1,
                    1,
                    f'address "{address}" is also defined by {first[address]}',
                    "keep one of the two files",
                )
            )
        else:
            first[address] = rel
            named.append((path, rel, address))
    return named, problems


def suggest_address(address: str) -> str:
    segments = []
    for segment in address.split("/"):
        cleaned = re.sub(r"[^a-z0-9._-]+", "-", segment.lower()).lstrip("._-").rstrip("-")
        segments.append(cleaned or "interview")
    return "/".join(segments)


def rel_path(root: Path, path: Path) -> str:
    """Posix path of `path` relative to `root`; plain string work when it is below (the
    common case, 10,000 times per run), os.path.relpath otherwise."""
    prefix, text = str(root) + os.sep, str(path)
    rel = text[len(prefix) :] if text.startswith(prefix) else os.path.relpath(text, root)
    return rel.replace(os.sep, "/")


# ----------------------------------------------------------------------------- one file


class _FileLoader:
    def __init__(
        self,
        root: Path,
        project: Project,
        cache: DefinitionCache,
        now: datetime,
        on_loaded: Callable[[LoadedDefinition], None] | None,
        applied: Applied,
    ) -> None:
        self.root = root
        self.project = project
        self.cache = cache
        self.now = now
        self.on_loaded = on_loaded
        self.applied = applied
        self.targets = targets_fingerprint(project)

    def load_all(
        self, named: Sequence[tuple[Path, str, str]]
    ) -> tuple[list[LoadedDefinition], list[Problem]]:
        """Read every file, take what the cache has, then parse, validate and check the
        rest in order."""
        problems: list[Problem] = []
        loaded: list[LoadedDefinition] = []
        todo: list[tuple[Source, str, tuple[Definition, frozenset[str]] | None]] = []
        for path, rel, address in named:
            try:
                source = read_source(path, rel)
            except SourceError as err:
                problems.append(err.problem)
                continue
            entry = self.cache.get(source.digest)
            if entry is not None and entry.get("ok") == self._context(address):
                # unchanged and clean in this very context: the model is built if used
                self._accept(
                    loaded, LoadedDefinition(address, rel, None, source.digest, entry["d"])
                )
            else:
                todo.append((source, address, self._cached(entry)))
        for source, address, hit in todo:
            try:
                result = self._load(source, address, hit)
            except SourceError as err:
                result = [err.problem]
            if isinstance(result, LoadedDefinition):
                self._accept(loaded, result)
            else:
                problems += result
        return loaded, problems

    def _accept(self, loaded: list[LoadedDefinition], definition: LoadedDefinition) -> None:
        if self.on_loaded is not None:
            self.on_loaded(definition)
        definition.release()
        loaded.append(definition)

    def _context(self, address: str) -> str:
        # the project id is in the ownership marker that Instaview's metadata limits count
        return f"{self.targets}:{self.project.project or ''}:{address}"

    def _load(
        self, source: Source, address: str, found: tuple[Definition, frozenset[str]] | None
    ) -> LoadedDefinition | list[Problem]:
        """`found` is a cache hit; without one the file is parsed here."""
        raw: dict[Any, Any] | None = None
        if found is None:
            raw = parse_mapping(source, "an interview definition")
            try:
                found = self._validate(raw, source.digest)
            except ValidationError as err:
                # error-only code loads when there is a problem (docs/architecture.md, Speed)
                from interform.config.schema_errors import schema_issues

                return self._positioned(source, raw, schema_issues(err, Definition))
        definition, file_keys = found
        context = RuleContext.build(
            address,
            definition,
            self.project.targets,
            file_keys,
            self.now,
            project=self.project.project,
            applied=self.applied,
            paths=(self.project.lockfile, self.project.interviews),
        )
        issues = check(context)
        if issues:
            raw = raw if raw is not None else parse_mapping(source, "an interview definition")
            return self._positioned(source, raw, issues)
        if not reads_clock(context):
            self.cache.passed(source.digest, self._context(address))
        text = self.cache.text(source.digest)
        return LoadedDefinition(address, source.rel, definition, source.digest, text)

    def _cached(self, entry: dict[str, Any] | None) -> tuple[Definition, frozenset[str]] | None:
        if entry is None:
            return None
        try:
            definition = Definition.model_validate(json.loads(entry["d"]))
        except (ValidationError, ValueError):
            return None  # an entry this code cannot read is a miss, never an error
        return definition, frozenset(k for k in entry["k"] if isinstance(k, str))

    def _validate(self, raw: dict[Any, Any], digest: str) -> tuple[Definition, frozenset[str]]:
        definition = Definition.model_validate(merge_defaults(self.project.defaults, raw))
        file_keys = frozenset(k for k in raw if isinstance(k, str))
        self.cache.put(digest, definition.model_dump_json(exclude_unset=True), sorted(file_keys))
        return definition, file_keys

    def _positioned(
        self, source: Source, raw: dict[Any, Any], issues: list[Issue]
    ) -> list[Problem]:
        from interform.config.positions import Locator  # error-only: see `_load`

        locator = Locator(source.text)
        problems = []
        for issue in issues:
            message = issue.message
            if _from_defaults(raw, self.project.defaults, issue.path):
                message += _FROM_DEFAULTS
            line, col = locator.position(issue.path, issue.at_key)
            problems.append(Problem(source.rel, line, col, message, issue.fix))
        return problems


def _from_defaults(raw: dict[Any, Any], defaults: dict[str, Any], path: YamlPath) -> bool:
    """The value at `path` came from interform.yaml, not from the definition file."""
    return bool(path) and not lookup(raw, path)[0] and lookup(defaults, path)[0]


def targets_fingerprint(project: Project) -> str:
    """A short digest of every target's settings and of interform.yaml's own paths: the
    rules read them, so a cached verdict holds only while they are unchanged."""
    settings: dict[str, object] = {
        name: t.model_dump(mode="json") for name, t in project.targets.items()
    }
    settings[" paths"] = [project.lockfile, project.interviews]  # no target has this name
    text = json.dumps(settings, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def build_cached(text: str, rel: str) -> Definition:
    """The model of a definition taken from the cache unbuilt (`LoadedDefinition`)."""
    try:
        return Definition.model_validate(json.loads(text))
    except (ValidationError, ValueError) as err:
        fix = f"delete {CACHE_FILE.parent}/ and run again"
        raise UserError([Problem(rel, 0, 0, "its cached definition cannot be read", fix)]) from err
