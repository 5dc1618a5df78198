"""Project `defaults:` under a definition: mappings merge key by key (the definition
wins), everything else — lists included — is replaced by the definition's value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def merge_defaults(defaults: Mapping[Any, Any], data: Mapping[Any, Any]) -> dict[Any, Any]:
    if not defaults:
        return dict(data)
    out = dict(defaults)
    for key, value in data.items():
        below = out.get(key)
        if isinstance(below, Mapping) and isinstance(value, Mapping):
            out[key] = merge_defaults(below, value)
        else:
            out[key] = value
    return out


def lookup(data: Any, path: tuple[str | int, ...]) -> tuple[bool, Any]:
    """(found, value) at `path` in plain data."""
    for part in path:
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_list or (isinstance(data, Mapping) and part in data)):
            return False, None
        data = data[part]
    return True, data
