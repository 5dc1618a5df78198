"""Cache of validated definitions, so a repeat run skips YAML parsing.

One JSON file, `.interform/cache/definitions.json`, maps a file's digest to the
definition as validated (pydantic's JSON dump, unset fields left out) and the top-level
keys the file wrote. The file's `salt` covers the rest of what a result depends on: the
project defaults merged under every file, and the interform code that parses and
validates (its version and the source of the modules involved, so an edited model in a
development checkout never reuses stale results); another salt discards every entry.
Semantic rules are not cached: they depend on the targets and on the clock, and they
are cheap.

The cache is advisory: an unreadable, corrupted or foreign file is ignored and
replaced; writes go to a temporary file renamed into place, so a reader never sees
half a file. It lives under `.interform/`, which `interform init` git-ignores.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Final

from interform import __version__

CACHE_FILE: Final = Path(".interform") / "cache" / "definitions.json"
FORMAT: Final = 1
# modules whose code decides what a file validates to
_CODE: Final = ("model/definition.py", "config/yamlparse.py", "config/merge.py")


def code_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    for rel in _CODE:
        with contextlib.suppress(OSError):
            digest.update((package / rel).read_bytes())
    return digest.hexdigest()


class DefinitionCache:
    """Entries are `{"d": <validated definition, JSON>, "k": [<top-level keys>]}`."""

    def __init__(self, path: Path, salt: str, entries: dict[str, Any]) -> None:
        self.path = path
        self.salt = salt
        self._old = entries
        self._used: dict[str, Any] = {}
        self._added = False

    @classmethod
    def open(cls, root: Path, defaults: Any) -> DefinitionCache:
        salt = hashlib.sha256(
            (code_fingerprint() + json.dumps(defaults, sort_keys=True, default=str)).encode()
        ).hexdigest()
        path = root / CACHE_FILE
        return cls(path, salt, _read(path, salt))

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry for a file digest; the salt already covers the rest of the key."""
        entry = self._old.get(key)
        if not (isinstance(entry, dict) and isinstance(entry.get("d"), dict)):
            return None
        if not isinstance(entry.get("k"), list):
            return None
        self._used[key] = entry
        return entry

    def put(self, key: str, definition: dict[str, Any], file_keys: list[str]) -> None:
        self._used[key] = {"d": definition, "k": file_keys}
        self._added = True

    def save(self, complete: bool) -> None:
        """Write when something changed. `complete`: this run saw every definition, so
        entries it did not use belong to deleted or edited files and are dropped."""
        entries = self._used if complete else {**self._old, **self._used}
        if not self._added and entries.keys() == self._old.keys():
            return
        payload = {"format": FORMAT, "salt": self.salt, "entries": entries}
        with contextlib.suppress(OSError):  # a read-only checkout still validates
            _write_atomic(self.path, json.dumps(payload, separators=(",", ":")))


def _read(path: Path, salt: str) -> dict[str, Any]:
    try:
        payload = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        return {}
    entries = payload.get("entries")
    if payload.get("salt") != salt or not isinstance(entries, dict):
        return {}
    return entries


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".definitions.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
