"""Checks that a lockfile read from disk is still a true map: no JSON key given twice
(a hand edit or a merge can leave one, and a JSON parser silently keeps the last), and
no remote object tracked by two addresses (two entries that would both update, replace
or delete one object, while another definition has none).

Both are refused on read with the lines involved, before anything could act on them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from interform.lockfile.model import Lockfile


class DuplicateKey(ValueError):
    """Raised by `check_unique_keys` at the first repeated key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: Sequence[tuple[str, Any]]) -> None:
    """`json.loads` object hook that only checks: no object is kept (None stands in its
    place), so checking a large lockfile builds no second copy of it."""
    if len({key for key, _ in pairs}) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)


def check_unique_keys(text: str) -> None:
    """Parse JSON text only to refuse an object with a repeated key (DuplicateKey)."""
    json.loads(text, object_pairs_hook=_unique_keys)


@dataclass(frozen=True)
class Repeat:
    line: int  # of the second occurrence
    first: int  # line of the first one
    path: str  # the enclosing object: "entries", "entries.<address>", "(top level)"
    key: str


def repeated_keys(text: str) -> list[Repeat]:
    """Repeated keys with their lines, for the layout interform writes (one key per line,
    nesting shown by `{` ending a line and `}` starting one). A file in another layout
    yields what this scan can see; the caller still names the key."""
    stack: list[tuple[str, dict[str, int]]] = []
    found: list[Repeat] = []
    decoder = json.JSONDecoder()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("}"):
            if stack:
                stack.pop()
            continue
        path, keys = stack[-1] if stack else ("", {})
        child = f"{path}[]" if stack else ""
        if stack and line.startswith('"'):
            try:
                key, end = decoder.raw_decode(line)
            except ValueError:
                continue
            if not isinstance(key, str) or not line[end:].lstrip().startswith(":"):
                continue
            if key in keys:
                found.append(Repeat(number, keys[key], path or "(top level)", key))
            keys.setdefault(key, number)
            child = f"{path}.{key}" if path else key
        if line.endswith("{"):
            stack.append((child, {}))
    return found


@dataclass(frozen=True)
class Shared:
    remote_id: str
    addresses: tuple[str, ...]  # sorted; two or more


def shared_remote_ids(lock: Lockfile) -> list[Shared]:
    """Remote objects tracked at more than one address (same platform and kind)."""
    owners: dict[tuple[str, str, str], list[str]] = {}
    for address, entry in lock.entries.items():
        if entry.remote_id:
            key = (entry.provider, entry.kind, entry.remote_id)
            owners.setdefault(key, []).append(address)
    return [
        Shared(remote_id, tuple(sorted(addresses)))
        for (_, _, remote_id), addresses in sorted(owners.items())
        if len(addresses) > 1
    ]
