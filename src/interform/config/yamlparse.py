"""Pass 1: YAML text → plain Python data, fast, or one positioned syntax problem.

ruamel.yaml's C parser (libyaml) produces the events; this module builds dicts, lists
and scalars from them itself, because ruamel's own constructor is several times slower
(figures in bench/MACHINERY.md). Scalars resolve through ruamel's own YAML 1.2
resolver table, so values are exactly what `YAML(typ="safe")` and the round-trip
loader give (`no` and `on` stay strings).

While building, it refuses what a definition never needs and an attacker might send:
several documents, duplicate keys, custom tags, complex keys, more than
`MAX_ALIASES` aliases, aliases that expand to more than `MAX_EXPANDED` values
(billion laughs) and nesting deeper than `MAX_DEPTH` (no recursion anywhere, and
nothing downstream meets a structure deep enough to exhaust the stack).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Final

from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import Resolver
from ruamel.yaml.util import create_timestamp, timestamp_regexp

MAX_ALIASES: Final = 100
MAX_EXPANDED: Final = 100_000  # values after expanding aliases
MAX_DEPTH: Final = 64

_TAG: Final = "tag:yaml.org,2002:"
_STR_TAGS: Final = frozenset({"!", _TAG + "str"})


@dataclass
class SyntaxProblem(Exception):
    """A pass-1 problem at a 1-based position. (Not frozen: Python sets attributes such
    as __traceback__ on exceptions it raises.)"""

    line: int
    col: int
    message: str
    fix: str


def parse(text: str) -> Any:
    """The single document in `text` as plain data (None when the file holds no value).

    Raises SyntaxProblem."""
    try:
        return _plain_document(text)
    except (_Unusual, SyntaxProblem, MarkedYAMLError, ReaderError):
        pass  # built again below, by the builder that positions every problem
    parser = CParser(text)
    try:
        return _Builder(parser).document()
    except MarkedYAMLError as err:
        raise _from_marked(err, text) from None
    except ReaderError as err:
        line, col = _offset_position(text, err.position)
        char = err.character if isinstance(err.character, int) else ord(str(err.character)[:1])
        raise SyntaxProblem(
            line, col, f"character U+{char:04X} is not allowed in YAML", _FIX_CHARACTER
        ) from None
    finally:
        parser.dispose()


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_FIX_CHARACTER: Final = "remove the control character or write it as an escape in a quoted string"
_FIX_SYNTAX: Final = "fix the YAML at this position (check indentation and quoting)"
_FIX_END: Final = "the file ends inside an unclosed [ ], { } or quote: close it"
_FIXES: Final = (
    ("tab character", "indent with spaces; YAML does not allow tabs here"),
    ("cannot start any token", "quote the value: it starts with a reserved character"),
    ("mapping values are not allowed", 'quote the value: it contains ": "'),
    ("could not find expected ':'", "add the missing `:` after the key, or fix the indentation"),
    ("expected <block end>", "align this line with the other keys of its block"),
    ("did not find expected key", "align this line with the keys or items above it"),
    ("found undefined alias", "define the anchor (&name) before using *name"),
    ("end of stream", "close the quote or bracket opened here"),
    ("while parsing a flow", "close the bracket opened here"),
)


def _from_marked(err: MarkedYAMLError, text: str) -> SyntaxProblem:
    mark = err.problem_mark or err.context_mark
    problem = str(err.problem or err.context or "invalid YAML")
    if _at_end(text, mark):
        # the end of the file says little; where the unclosed quote or bracket opened does
        if err.context_mark is None or _at_end(text, err.context_mark):
            return SyntaxProblem(*_position(text, mark), f"YAML syntax error: {problem}", _FIX_END)
        mark, problem = err.context_mark, f"{problem} {err.context}"
    if "cannot start any token" in problem and _char_at(text, *_position(text, mark)) == "\t":
        problem = "tab character where YAML expects indentation or a value"
    fix = next((f for key, f in _FIXES if key in problem), _FIX_SYNTAX)
    return SyntaxProblem(*_position(text, mark), f"YAML syntax error: {problem}", fix)


def _position(text: str, mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _at_end(text: str, mark: Any) -> bool:
    index = getattr(mark, "index", None)
    return isinstance(index, int) and not text[index:].strip()


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n", line)
    return lines[line - 1][col - 1 : col] if len(lines) >= line else ""


# ----------------------------------------------------------------------------- scalars

# first character -> [(tag, match)]; ruamel wraps each regexp in a lazy proxy whose
# attribute access is slow, so the bound `match` methods are taken once here
_RESOLVERS: Final[dict[str, list[tuple[str, Any]]]] = {
    first: [(str(tag), regexp.match) for tag, regexp in pairs]
    for first, pairs in Resolver.yaml_implicit_resolvers.items()
}


def _int(value: str) -> int:
    text = value.replace("_", "")
    sign = -1 if text[0] == "-" else 1
    text = text.lstrip("+-")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if text.startswith(prefix):
            return sign * int(text[2:], base)
    return sign * int(text)


def _float(value: str) -> float:
    text = value.replace("_", "").lower()
    sign = -1.0 if text[0] == "-" else 1.0
    text = text.lstrip("+-")
    if text == ".inf":
        return sign * float("inf")
    if text == ".nan":
        return float("nan")
    return sign * float(text)


def _timestamp(value: str) -> datetime.date:
    match = timestamp_regexp.match(value)
    if match is None:
        raise ValueError(value)
    stamp: datetime.date = create_timestamp(**match.groupdict())
    return stamp


class _Merge:
    """The `<<` of a merge key (YAML 1.1 merge keys, which ruamel supports)."""


_MERGE: Final = _Merge()

_CONVERT: Final[dict[str, Any]] = {
    _TAG + "str": str,
    _TAG + "null": lambda v: None,
    _TAG + "bool": lambda v: v.lower() == "true",
    _TAG + "int": _int,
    _TAG + "float": _float,
    _TAG + "timestamp": _timestamp,
    _TAG + "merge": lambda v: _MERGE,
}

# Plain scalars repeat a lot (keys above all); their values are immutable, so each
# distinct text is resolved once per process. Bounded, so odd inputs cannot grow it.
_PLAIN: dict[str, Any] = {}
_PLAIN_MAX: Final = 50_000


def _plain(value: str, event: Any) -> Any:
    try:
        return _PLAIN[value]
    except KeyError:
        pass
    tag = _TAG + "str"
    for candidate, match in _RESOLVERS.get(value[:1], ()):
        if match(value):
            tag = candidate
            break
    resolved = _convert(tag, value, event)
    if len(_PLAIN) >= _PLAIN_MAX:
        _PLAIN.clear()
    _PLAIN[value] = resolved
    return resolved


def _tagged(event: Any) -> Any:
    tag = event.tag
    if tag in _STR_TAGS:
        return event.value
    if tag == _TAG + "merge":
        tag = ""  # only a plain << is a merge key
    return _convert(tag, event.value, event)


def _convert(tag: str, value: str, event: Any) -> Any:
    convert = _CONVERT.get(tag)
    if convert is None:
        raise _problem(event, f"unsupported YAML tag {tag or '!!merge'}", "remove the tag")
    try:
        return convert(value)
    except (ValueError, OverflowError):
        raise _problem(
            event, f"{value!r} is not a valid {tag.removeprefix(_TAG)}", "quote it or correct it"
        ) from None


def _problem(event: Any, message: str, fix: str) -> SyntaxProblem:
    mark = event.start_mark
    return SyntaxProblem(mark.line + 1, mark.column + 1, message, fix)


# ----------------------------------------------------------------------------- fast path


class _Unusual(Exception):
    """Something the fast path leaves to the full builder: a tag, an anchor or alias, a
    merge key, a complex or repeated key, deep nesting, another document, an error."""


def _plain_document(text: str) -> Any:
    """The common case only: a single document of mappings, sequences and untagged
    scalars, none of them anchored, no key twice. It records no position and checks
    nothing else; anything more raises _Unusual and `parse` builds the file again with
    `_Builder`, so values and messages are the full builder's in every case. (What this
    saves: bench/MACHINERY.md.)"""
    parser = CParser(text)
    try:
        get_event = parser.get_event
        get_event()  # stream start
        if type(get_event()) is StreamEndEvent:
            raise _Unusual  # no document: rare, left to the builder
        stack: list[Any] = []
        keys: list[Any] = []
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _Unusual
                value = _plain(event.value, event) if event.implicit[0] else event.value
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                    raise _Unusual
                stack.append({} if kind is MappingStartEvent else [])
                keys.append(_NO_KEY)
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value = stack.pop()
                keys.pop()
            else:
                raise _Unusual  # an alias
            if value is _MERGE:
                raise _Unusual
            if not stack:
                break
            top = stack[-1]
            if type(top) is list:
                top.append(value)
            elif keys[-1] is not _NO_KEY:
                top[keys[-1]] = value
                keys[-1] = _NO_KEY
            elif type(value) is dict or type(value) is list or value in top:
                raise _Unusual
            else:
                keys[-1] = value
        get_event()  # document end
        if type(get_event()) is not StreamEndEvent:
            raise _Unusual
        return value
    finally:
        parser.dispose()


# ----------------------------------------------------------------------------- builder


class _Frame:
    """An open mapping or sequence."""

    __slots__ = (
        "anchor",
        "container",
        "is_map",
        "key",
        "key_event",
        "keys_at",
        "merges",
        "size",
        "start",
    )

    def __init__(self, start: Any) -> None:
        self.start = start  # the event that opened it: where problems about it point
        self.is_map = type(start) is MappingStartEvent
        self.container: Any = {} if self.is_map else []
        self.key: Any = _NO_KEY
        self.key_event: Any = None
        self.merges: list[dict[Any, Any]] = []
        self.size = 1  # values in this subtree, aliases expanded
        self.anchor: str | None = start.anchor
        self.keys_at: dict[Any, int] = {}


_NO_KEY: Final = object()


class _Builder:
    def __init__(self, parser: Any) -> None:
        self.parser = parser
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.aliases = 0
        self.expanded = 0

    def document(self) -> Any:
        parser = self.parser
        parser.get_event()  # stream start
        if isinstance(parser.peek_event(), StreamEndEvent):
            return None
        parser.get_event()  # document start
        value = self.node()
        parser.get_event()  # document end
        extra = parser.get_event()
        if isinstance(extra, DocumentStartEvent):
            raise _problem(
                extra,
                "more than one YAML document in this file",
                "keep one interview per file; move the rest into their own files",
            )
        if isinstance(value, _Merge):
            raise _problem(extra, "<< is only allowed as a key", "remove it")
        return value

    def node(self) -> Any:
        """One node, built without recursion. Hot loop: type checks by identity, the
        common plain-scalar case first."""
        stack: list[_Frame] = []
        get_event = self.parser.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent:
                if event.tag is not None:
                    value = _tagged(event)
                elif event.implicit[0]:
                    value = _plain(event.value, event)
                else:
                    value = event.value  # quoted or block scalar
                size = 1
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                stack.append(self._open(event, len(stack)))
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                value, size, event = self._close(frame), frame.size, frame.start
            elif kind is AliasEvent:
                value, size = self._alias(event)
            else:  # pragma: no cover - libyaml emits nothing else inside a document
                raise _problem(event, "unexpected YAML event", _FIX_SYNTAX)
            if not stack:
                return value
            frame = stack[-1]
            frame.size += size
            if not frame.is_map:
                if value is _MERGE:
                    raise _problem(event, "<< is only allowed as a key", "quote it")
                frame.container.append(value)
            elif frame.key is _NO_KEY:
                self._set_key(frame, value, event)
            else:
                self._set_value(frame, value, event)

    def _open(self, event: Any, depth: int) -> _Frame:
        if depth >= MAX_DEPTH:
            raise _problem(event, f"nested deeper than {MAX_DEPTH} levels", "flatten the data")
        if event.tag not in (None, "!", _TAG + "map", _TAG + "seq"):
            raise _problem(event, f"unsupported YAML tag {event.tag}", "remove the tag")
        return _Frame(event)

    def _close(self, frame: _Frame) -> Any:
        container = frame.container
        if frame.merges:
            # explicit keys win over merged ones; earlier merged mappings over later ones
            for merged in frame.merges:
                for key, value in merged.items():
                    container.setdefault(key, value)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (container, frame.size)
        return container

    def _alias(self, event: Any) -> tuple[Any, int]:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise _problem(
                event, f"more than {MAX_ALIASES} aliases in one file", "write the values out"
            )
        if event.anchor not in self.anchors:
            raise _problem(
                event,
                f"alias *{event.anchor} refers to no anchor",
                f"define &{event.anchor} before using *{event.anchor}",
            )
        value, size = self.anchors[event.anchor]
        self.expanded += size
        if self.expanded > MAX_EXPANDED:
            raise _problem(
                event,
                f"aliases expand to more than {MAX_EXPANDED:,} values",
                "write the values out instead of nesting aliases",
            )
        return value, size

    @staticmethod
    def _set_key(frame: _Frame, key: Any, event: Any) -> None:
        if isinstance(key, (dict, list)):
            raise _problem(event, "a key must be a plain value", "use a string as the key")
        if key is not _MERGE:
            if key in frame.keys_at:
                raise _problem(
                    event,
                    f'duplicate key "{key}" (first defined on line {frame.keys_at[key]})',
                    "remove one of the two",
                )
            frame.keys_at[key] = event.start_mark.line + 1
        frame.key, frame.key_event = key, event

    @staticmethod
    def _set_value(frame: _Frame, value: Any, event: Any) -> None:
        key, frame.key = frame.key, _NO_KEY
        if value is _MERGE:
            raise _problem(event, "<< is only allowed as a key", "quote it")
        if key is not _MERGE:
            frame.container[key] = value
            return
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(source, dict) for source in sources):
            raise _problem(
                frame.key_event, "<< must merge a mapping or a list of mappings", "fix the merge"
            )
        frame.merges.extend(sources)
