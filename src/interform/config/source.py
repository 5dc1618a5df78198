"""Reading one YAML file for pass 1: size limit, UTF-8 with the bad byte's position,
and the parse into plain data. Every failure is a positioned `errors.Problem`."""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from interform.config.yamlparse import SyntaxProblem, parse
from interform.errors import Problem

MAX_BYTES: Final = 1024 * 1024
_BOM: Final = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Source:
    rel: str  # posix path relative to the project root
    raw: bytes
    text: str
    digest: str  # "sha256:<hex>" of raw


class SourceError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_source(path: Path, rel: str) -> Source:
    """The file's bytes and text. Raises SourceError."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # a FIFO or device would block the read (or never end): refuse it unopened
            raise SourceError(
                Problem(rel, 1, 1, "not a regular file", "replace it with a YAML file or remove it")
            )
        size = info.st_size
        if size > MAX_BYTES:
            raise SourceError(
                Problem(
                    rel,
                    1,
                    1,
                    f"file is {size:,} bytes, more than the {MAX_BYTES:,} allowed",
                    "split it: one interview per file",
                )
            )
        raw = path.read_bytes()
    except OSError as err:
        problem = Problem(rel, 1, 1, f"cannot read: {err.strerror}", "check the file")
        raise SourceError(problem) from None
    return Source(rel, raw, decode(raw, rel), "sha256:" + hashlib.sha256(raw).hexdigest())


def decode(raw: bytes, rel: str) -> str:
    body = raw[len(_BOM) :] if raw.startswith(_BOM) else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = err.start + (len(raw) - len(body))
        line = raw.count(b"\n", 0, bad) + 1
        start = raw.rfind(b"\n", 0, bad) + 1
        col = len(raw[start:bad].decode("utf-8", errors="replace")) + 1
        raise SourceError(
            Problem(
                rel,
                line,
                col,
                f"byte 0x{raw[bad]:02x} is not valid UTF-8",
                "save the file as UTF-8",
            )
        ) from None


def parse_mapping(source: Source, what: str) -> dict[Any, Any]:
    """The file's single document, which must be a mapping. Raises SourceError."""
    try:
        data = parse(source.text)
    except SyntaxProblem as err:
        data = err
    return as_mapping(source, data, what)


def as_mapping(source: Source, parsed: Any, what: str) -> dict[Any, Any]:
    """`parsed` (data, or the SyntaxProblem parsing raised) as a mapping, or SourceError."""
    if isinstance(parsed, SyntaxProblem):
        raise SourceError(Problem(source.rel, parsed.line, parsed.col, parsed.message, parsed.fix))
    if parsed is None:
        raise SourceError(Problem(source.rel, 1, 1, "file is empty", f"write {what} in it"))
    if not isinstance(parsed, dict):
        raise SourceError(
            Problem(
                source.rel,
                1,
                1,
                f"the file must hold a mapping of keys to values, not {_kind(parsed)}",
                f"write {what} as key: value lines",
            )
        )
    return parsed


def _kind(data: object) -> str:
    return "a list" if isinstance(data, list) else "a single value"


def unchecked_settings(root: Path) -> dict[Any, Any]:
    """interform.yaml's top-level keys without validating them ({} when it cannot be
    read): for commands that must work while the settings are still being written
    (`fmt`, `init`), which report nothing about them."""
    from interform.project_root import PROJECT_FILE

    try:
        return parse_mapping(read_source(root / PROJECT_FILE, PROJECT_FILE), "settings")
    except SourceError:
        return {}
