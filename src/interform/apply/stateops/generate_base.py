"""What the per-platform generators share: which values a generated definition must
spell out. A value equal to the model's default can be left out — unless interform.yaml
`defaults:` sets that key, since the project default would then win over the omission."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from interform.config.merge import lookup

Path = tuple[str, ...]


class Spelled:
    """Builds one mapping of a definition, keeping only the values it must state."""

    def __init__(self, defaults: Mapping[str, Any], where: Path = ()) -> None:
        self.defaults = defaults
        self.where = where
        self.data: dict[str, Any] = {}

    def put(self, key: str, value: Any, default: Any = None) -> None:
        """Always keep a value that differs from the model default; keep one equal to it
        (a None becomes an explicit null) only when the project defaults set the key."""
        if value != default or lookup(self.defaults, (*self.where, key))[0]:
            self.data[key] = value

    def nested(self, key: str) -> Spelled:
        return Spelled(self.defaults, (*self.where, key))

    def put_mapping(self, key: str, child: Spelled) -> None:
        if child.data:
            self.data[key] = child.data


def language_of(code: str | None, platform: str) -> str | None:
    """The user's language code for a platform's spelling (None: unknown to interform)."""
    from interform.model import languages

    if code is None:
        return None
    return languages.from_platform(code, platform)
