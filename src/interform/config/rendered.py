"""Cache of rendered desired resources, so a repeat plan skips rendering and digesting.

A definition's resources are a pure function of the validated definition (the file's
digest under the definition cache's salt), its address and file path, the targets it
names and the providers' render code. `.interform/cache/rendered.json` maps the file's
digest to `{"c": <that context>, "r": [<resource>, ...]}`; the salt adds the source of
every provider module to what the definition cache covers. A resource is cached only
when it reads back from JSON equal to what was rendered (bodies are JSON already;
anything else, such as a tuple in a body, is simply rendered again next time).

Origins (body pointer -> YAML path) are not cached: they are bigger than the bodies and
read only to position a body problem, so a cached resource renders them again then.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields, replace
from functools import partial
from pathlib import Path
from typing import Any, Final

from interform.config.cache import CACHE_DIR, JsonCache, make_salt
from interform.providers.base import DesiredResource, YamlPath, desired_from_data

RENDER_FILE: Final = CACHE_DIR / "rendered.json"
_PROVIDERS: Final = Path(__file__).resolve().parent.parent / "providers"


class RenderCache(JsonCache):
    @classmethod
    def open(cls, root: Path, defaults: Any) -> RenderCache:
        code = [*sorted(_PROVIDERS.rglob("*.py")), _PROVIDERS.parent / "digest.py"]
        cache: RenderCache = cls.open_file(root / RENDER_FILE, make_salt(defaults, code))
        return cache

    def get(
        self, key: str, context: str, origins: Callable[[int], Mapping[str, YamlPath]]
    ) -> list[DesiredResource] | None:
        """The resources cached for a file digest in `context`; `origins(i)` gives the
        i-th resource's origins (by rendering again), called only if they are read."""
        entry = self._take(key)
        if not (isinstance(entry, dict) and entry.get("c") == context):
            return None
        try:
            resources = [
                desired_from_data(wire, LazyOrigins(partial(origins, i)))
                for i, wire in enumerate(entry["r"])
            ]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # a damaged entry is a miss, never an error
        self._keep(key, entry)
        return resources

    def put(self, key: str, context: str, resources: list[DesiredResource]) -> None:
        entry = {"c": context, "r": [to_wire(r) for r in resources]}
        try:
            text = json.dumps(entry, separators=(",", ":"))
        except (TypeError, ValueError):
            return
        if json.loads(text) == entry:  # no tuple, enum or non-string key JSON would change
            self._store(key, None, text)  # the text is all `save` needs

    @staticmethod
    def lighter(
        resources: list[DesiredResource], origins: Callable[[int], Mapping[str, YamlPath]]
    ) -> list[DesiredResource]:
        """`resources` with their origins rendered again when read, as cached ones are:
        10,000 origin maps held to the end of a plan weigh more than the bodies."""
        return [
            replace(res, origins=LazyOrigins(partial(origins, i)))
            for i, res in enumerate(resources)
        ]


def to_wire(res: DesiredResource) -> dict[str, Any]:
    """JSON data (the body is already), without the origins."""
    wire = {f.name: getattr(res, f.name) for f in fields(res) if f.name != "origins"}
    wire["notes"] = list(res.notes)
    wire["note_fields"] = dict(res.note_fields)
    wire["ignore"] = list(res.ignore)
    wire["removal"] = res.removal.value if res.removal is not None else None
    return wire


class LazyOrigins(Mapping[str, YamlPath]):
    """A cached resource's origins, rendered again on first read: a plan reads them only
    to position a rejected request body, and they are larger than the body itself."""

    __slots__ = ("_load", "_loaded")

    def __init__(self, load: Callable[[], Mapping[str, YamlPath]]) -> None:
        self._load = load
        self._loaded: Mapping[str, YamlPath] | None = None

    def _data(self) -> Mapping[str, YamlPath]:
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded

    def __getitem__(self, key: str) -> YamlPath:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())
