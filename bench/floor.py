"""The YAML parse floor of a no-change plan: what any Python tool must do, in one process.

    python bench/floor.py DIR               # DIR: a project from bench/synth.py --lockfile
    python bench/floor.py DIR --events      # the stricter floor

Start-up, then read every definition, parse it with ruamel.yaml's C safe loader
(`YAML(typ="safe", pure=False)`: libyaml's parser and ruamel's constructor), merge the
project defaults, validate it with interform's own pydantic model (`Definition`: the
schema any tool must check), hash the validated data as canonical JSON and compare it
with the lockfile's digest at the definition's address on each of its targets.

With ruamel.yaml 0.19 the C safe loader spends most of its time in ruamel's Python
constructor and resolver (about 1 ms per file here, against the 0.22–0.28 ms measured
with older versions), so `--events` gives a stricter floor: the same libyaml parser's
events built into plain data by the smallest builder that gives the same values (plain
scalars resolved once per distinct text with ruamel's YAML 1.2 resolver table), without
any of the checks interform's own builder makes (duplicate keys, aliases, depth, tags).

What it leaves out, so that it stays a floor: the semantic rules, rendering request
bodies (so the digests compared are not the body digests and every comparison differs;
the cost of comparing is the same), request-body checks, printing a plan, caches and
positions for error messages. `bench/run.py` times this script as a fresh process the
same way as `interform plan` and reports the cold no-change plan as a ratio of it.

Prints the number of definitions and of digests compared; exits 1 if a file does not
parse or validate (the synthetic projects always do).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
from ruamel.yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.resolver import Resolver

from interform.model.definition import Definition

_TAG = "tag:yaml.org,2002:"
_RESOLVERS = {
    first: [(str(tag), regexp.match) for tag, regexp in pairs]
    for first, pairs in Resolver.yaml_implicit_resolvers.items()
}
_CONVERT: dict[str, Any] = {
    _TAG + "null": lambda v: None,
    _TAG + "bool": lambda v: v.lower() == "true",
    _TAG + "int": int,  # decimal only: all the synthetic definitions hold
    _TAG + "float": float,
}
_PLAIN: dict[str, Any] = {}


def _plain(value: str) -> Any:
    if value not in _PLAIN:
        tag = next((t for t, match in _RESOLVERS.get(value[:1], ()) if match(value)), None)
        _PLAIN[value] = _CONVERT[tag](value) if tag in _CONVERT else value
    return _PLAIN[value]


def events_load(text: str) -> Any:
    """The document's data from libyaml's events, built with nothing checked."""
    parser = CParser(text)
    parser.get_event(), parser.get_event()  # stream start, document start
    stack: list[Any] = []
    keys: list[Any] = []
    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is ScalarEvent:
            value = _plain(event.value) if event.implicit[0] else event.value
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            stack.append({} if kind is MappingStartEvent else [])
            keys.append(None)
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value = stack.pop()
            keys.pop()
        if not stack:
            parser.dispose()
            return value
        top = stack[-1]
        if type(top) is list:
            top.append(value)
        elif keys[-1] is None:
            keys[-1] = value
        else:
            top[keys[-1]] = value
            keys[-1] = None


def canonical_digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def main(root: Path, events: bool) -> int:
    yaml = YAML(typ="safe", pure=False)
    load = events_load if events else yaml.load
    settings = yaml.load((root / "interform.yaml").read_text(encoding="utf-8"))
    defaults: dict[str, Any] = settings.get("defaults") or {}
    base = root / settings.get("interviews", "interviews")
    lock = json.loads((root / settings.get("lockfile", "interform.lock")).read_bytes())
    entries: dict[str, Any] = lock["entries"]
    files = sorted(p for p in base.rglob("*") if p.suffix in (".yaml", ".yml"))
    compared = unchanged = 0
    for path in files:
        raw = path.read_bytes()
        hashlib.sha256(raw).hexdigest()  # a file digest, as any cache key needs
        data = load(raw.decode("utf-8"))
        definition = Definition.model_validate({**defaults, **data})
        digest = canonical_digest(definition.model_dump(mode="json", exclude_none=True))
        address = path.relative_to(base).as_posix().rsplit(".", 1)[0]
        for target in definition.targets:
            entry = entries.get(f"{address}@{target}")
            compared += 1
            unchanged += entry is not None and entry.get("digest") == digest
    print(f"{len(files)} definitions, {compared} digests compared, {unchanged} equal")
    return 0 if files else 1


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--events"]
    sys.exit(main(Path(args[0] if args else "."), "--events" in sys.argv[1:]))
