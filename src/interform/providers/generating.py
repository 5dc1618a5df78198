"""What the per-platform generators share: which values a generated definition must
spell out. A value the file would get anyway is left out: the project default
(interform.yaml `defaults:`) when one is set for that key, else the model's default.
Anything else — a None included, as an explicit null — is written."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from interform.model.merge import lookup

Path = tuple[str, ...]


class Spelled:
    """Builds one mapping of a definition, keeping only the values it must state."""

    def __init__(self, defaults: Mapping[str, Any], where: Path = ()) -> None:
        self.defaults = defaults
        self.where = where
        self.data: dict[str, Any] = {}

    def put(self, key: str, value: Any, default: Any = None) -> None:
        """Keep `value` unless it is what the file gets without it (`default`: the
        model's default for the key)."""
        found, project_default = lookup(self.defaults, (*self.where, key))
        if value != (project_default if found else default):
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
