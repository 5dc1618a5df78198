"""The one cache of what a repeat run can reuse: validated definitions and their rendering.

Everything interform caches for speed goes through this module, and nothing else keeps
results between runs. `.interform/cache/definitions.json` maps a file's digest to the
definition as validated (pydantic's JSON dump as text, unset fields left out), the
top-level keys the file wrote, and the context (targets and address) in which the
semantic rules last passed, so a clean, unchanged file needs neither parsing, validation
nor the rules. `.interform/cache/rendered.json` maps it to the desired resources
rendered from it (`RenderCache`), as JSON data: the caller turns them into objects.

Each file's `salt` covers the rest of what a result depends on: the project defaults
merged under every file, and the interform code involved (its version and the source of
the modules, so an edited model in a development checkout never reuses stale results);
another salt discards every entry. The render cache's salt adds every provider module.

The caches are advisory: an unreadable, corrupted or foreign file is ignored and
replaced; writes go to a temporary file renamed into place, so a reader never sees half
a file. They live under `.interform/`, which `interform init` git-ignores. What each
saves is measured in bench/MACHINERY.md.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

from interform import __version__, platforms
from interform.atomic import atomic_write
from interform.untrusted import UntrustedInput, parse_json, read_regular

CACHE_DIR: Final = Path(".interform") / "cache"
CACHE_FILE: Final = CACHE_DIR / "definitions.json"
RENDER_FILE: Final = CACHE_DIR / "rendered.json"
FORMAT: Final = 1
_COMPACT: Final = (",", ":")
_PACKAGE: Final = Path(__file__).resolve().parent
# code that decides what a file validates to, and whether the rules pass (with every
# platform's own package: its section, language table and rules)
_CODE: Final = (
    "platforms.py",
    "model/definition.py",
    "model/fields.py",
    "model/languages.py",
    "model/address.py",
    "model/limits.py",
    "providers/base.py",  # the ownership marker Instaview's metadata limits count
    "config/yamlparse.py",
    "model/merge.py",
    "config/rules.py",
)


def code_fingerprint(extra: Iterable[Path] = ()) -> str:
    """Digest of the interform version and the source of `_CODE` and `extra`."""
    digest = hashlib.sha256(__version__.encode())
    for path in [*(_PACKAGE / rel for rel in _CODE), *platforms.source_files(), *extra]:
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(_source_digest(path, stat.st_mtime_ns, stat.st_size))
    return digest.hexdigest()


@functools.cache
def _source_digest(path: Path, mtime_ns: int, size: int) -> bytes:
    """One source file's digest (empty when unreadable), read once per version of it:
    both caches' salts, and the lockfile's render tokens, cover most of the same files."""
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return b""


def make_salt(defaults: Any, extra: Iterable[Path] = ()) -> str:
    defaults_text = json.dumps(defaults, sort_keys=True, default=str)
    return hashlib.sha256((code_fingerprint(extra) + defaults_text).encode()).hexdigest()


class JsonCache:
    """One cache file: `{"format", "salt", "entries": {file digest: entry}}`."""

    def __init__(self, path: Path, salt: str, entries: dict[str, Any]) -> None:
        self.path = path
        self.salt = salt
        self._old = entries
        self._used: dict[str, Any] = {}
        self._texts: dict[str, str] = {}
        self._added = False

    @classmethod
    def open_file(cls, path: Path, salt: str) -> Any:
        return cls(path, salt, _read(path, salt))

    def _take(self, key: str) -> Any:
        """The entry read from disk for `key`; `_keep` it when it turns out usable."""
        return self._old.get(key)

    def _keep(self, key: str, entry: Any) -> None:
        self._used[key] = entry

    def _store(self, key: str, entry: Any, text: str | None = None) -> None:
        """`text`: the entry already serialised (compactly), written instead of `entry`."""
        self._used[key] = entry
        self._added = True
        if text is None:
            self._texts.pop(key, None)
        else:
            self._texts[key] = text

    def save(self, complete: bool) -> None:
        """Write when something changed. `complete`: this run saw every definition, so
        entries it did not use belong to deleted or edited files and are dropped."""
        entries = self._used if complete else {**self._old, **self._used}
        if not self._added and entries.keys() == self._old.keys():
            return
        with contextlib.suppress(OSError):  # a read-only checkout still validates
            # private to this checkout (0600, as mkstemp makes it), rebuilt if lost; written
            # entry by entry: at 10,000 definitions the whole text would be tens of MB
            atomic_write(self.path, self._pieces(entries), 0o600, durable=False)

    def _pieces(self, entries: dict[str, Any]) -> Iterator[str]:
        """The file's JSON text, one entry at a time."""
        head = json.dumps({"format": FORMAT, "salt": self.salt}, separators=_COMPACT)[:-1]
        yield f'{head},"entries":{{'
        texts = self._texts
        for i, (key, entry) in enumerate(entries.items()):
            text = texts.get(key) or json.dumps(entry, separators=_COMPACT)
            yield f"{',' if i else ''}{json.dumps(key)}:{text}"
        yield "}}"


class DefinitionCache(JsonCache):
    """Entries are `{"d": <validated definition as JSON text>, "k": [<top-level keys>]}`,
    with `"ok": <rules context>` once the rules passed in that context. The definition
    stays text until its model is needed: parsing it into objects for every file would
    cost a repeat run time and memory for models it mostly never builds."""

    @classmethod
    def open(cls, root: Path, defaults: Any) -> DefinitionCache:
        cache: DefinitionCache = cls.open_file(root / CACHE_FILE, make_salt(defaults))
        return cache

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry for a file digest; the salt already covers the rest of the key."""
        entry = self._take(key)
        if not (isinstance(entry, dict) and isinstance(entry.get("d"), str)):
            return None
        if not isinstance(entry.get("k"), list):
            return None
        self._keep(key, entry)
        return entry

    def put(self, key: str, definition: str, file_keys: list[str]) -> None:
        self._store(key, {"d": definition, "k": file_keys})

    def text(self, key: str) -> str | None:
        """The definition's JSON text, once `get` or `put` touched its entry."""
        entry = self._used.get(key)
        return entry.get("d") if isinstance(entry, dict) else None

    def passed(self, key: str, context: str) -> None:
        """The rules found nothing wrong with this entry in `context`."""
        entry = self._used.get(key)
        if isinstance(entry, dict) and entry.get("ok") != context:
            self._store(key, {**entry, "ok": context})


class RenderCache(JsonCache):
    """Entries are `{"c": <context>, "r": [<resource as JSON data>, ...]}`: a definition's
    resources are a pure function of the validated definition (the file's digest under
    the definition cache's salt), its address and file path, the targets it names and
    the providers' render code. A rendering is cached only when it reads back from JSON
    equal to what was rendered (anything else, such as a tuple in a body, is simply
    rendered again next time). Origins are not cached: they are bigger than the bodies
    and read only to position a body problem (`providers.base.LazyOrigins`)."""

    @classmethod
    def open(cls, root: Path, salt: str) -> RenderCache:
        """The cache under `root`, its entries kept when made with `salt` (`render_salt`)."""
        cache: RenderCache = cls.open_file(root / RENDER_FILE, salt)
        return cache

    def get(self, key: str, context: str) -> list[dict[str, Any]] | None:
        """The resources (JSON data) cached for a file digest in `context`."""
        entry = self._take(key)
        if not (isinstance(entry, dict) and entry.get("c") == context):
            return None
        resources = entry.get("r")
        if not (isinstance(resources, list) and all(isinstance(r, dict) for r in resources)):
            return None
        self._keep(key, entry)
        return resources

    def put(self, key: str, context: str, resources: list[dict[str, Any]]) -> None:
        entry = {"c": context, "r": resources}
        try:
            text = json.dumps(entry, separators=_COMPACT)
        except (TypeError, ValueError):
            return
        if json.loads(text) == entry:  # no tuple, enum or non-string key JSON would change
            self._store(key, None, text)  # the text is all `save` needs


def render_salt(defaults: Any) -> str:
    """What every rendering depends on besides its definition, address and targets: the
    defaults, interform's version and its model and rendering code (every provider
    module). Also the base of the lockfile's render tokens (`interform.render_memo`)."""
    code = [*sorted((_PACKAGE / "providers").rglob("*.py")), _PACKAGE / "digest.py"]
    return make_salt(defaults, code)


def _read(path: Path, salt: str) -> dict[str, Any]:
    try:
        # a regular file only, parsed with bounded nesting: a damaged cache (or a FIFO
        # or device left in its place) is a miss, never a hang or a crash
        payload = parse_json(read_regular(path))
    except (OSError, UntrustedInput):
        return {}
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        return {}
    entries = payload.get("entries")
    if payload.get("salt") != salt or not isinstance(entries, dict):
        return {}
    return entries
