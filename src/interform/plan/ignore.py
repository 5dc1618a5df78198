"""`ignore_changes`: body values interform sends on create and never updates afterwards.

A definition's ignored paths arrive as body pointers (`DesiredResource.ignore`). Before
an existing object is compared, each ignored pointer takes the value the object has now
(the lockfile's record, or what was read back with --refresh), so neither an edit in the
file nor a change made on the platform is ever planned; the differences are reported
as ignored instead.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from interform.plan.model import FieldDiff
from interform.providers.base import DesiredResource

_MISSING: Any = object()


def with_ignored(
    res: DesiredResource, current: Mapping[str, Any]
) -> tuple[DesiredResource, list[FieldDiff]]:
    """`res` with every ignored value as it is in `current`, and the ignored differences
    (named by their dotted path)."""
    if not res.ignore:
        return res, []
    body: Any = copy.deepcopy(dict(res.body))
    ignored: list[FieldDiff] = []
    for pointer in res.ignore:
        now, wanted = lookup(current, pointer), lookup(res.body, pointer)
        if now == wanted:
            continue
        ignored.append(FieldDiff(dotted(pointer), _none(now), _none(wanted)))
        body = assign(body, pointer, now)
    if not ignored:
        return res, []
    return replace(res, body=body, digest=""), ignored


def lookup(value: Any, pointer: str) -> Any:
    """The value at a JSON pointer, `_MISSING` when there is none."""
    return _walk(value, _parts(pointer))


def _walk(value: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and _index(part, value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def assign(body: Any, pointer: str, value: Any) -> Any:
    """`body` with the value at `pointer` set (removed when `value` is `_MISSING`); the
    whole body when the pointer is the root."""
    parts = _parts(pointer)
    if not parts:
        return {} if value is _MISSING else copy.deepcopy(value)
    parent, last = _walk(body, parts[:-1]), parts[-1]
    if isinstance(parent, dict) and value is _MISSING:
        parent.pop(last, None)
    elif isinstance(parent, dict):
        parent[last] = copy.deepcopy(value)
    # an item the object lacks cannot be taken out of a list in place: it stays
    elif isinstance(parent, list) and value is not _MISSING and _index(last, parent):
        parent[int(last)] = copy.deepcopy(value)
    return body


def _index(part: str, items: list[Any]) -> bool:
    return part.isdigit() and int(part) < len(items)


def dotted(pointer: str) -> str:
    """`job.description` for `/job/description`; the root is the whole object."""
    return ".".join(_parts(pointer)) or "(the whole object)"


def _parts(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def _none(value: Any) -> Any:
    return None if value is _MISSING else value
