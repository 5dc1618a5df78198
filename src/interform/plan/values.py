"""Nested diffs of two JSON values: maps by key, lists by item, recursively.

A body field such as Instaview's `job` or micro1's `skills` is a map or a list; a
reviewer must see which key or item changed, not two opaque values. Maps are compared
key by key. Lists of maps that share an identifying key (`name`, `id`, ...) are matched
by it, so editing one skill's description reads as that skill edited, and reordering as
a move; other lists are aligned by content (like `diff`), an item replaced in place is
compared with its old self.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from interform.plan.questions import longest_increasing

# keys that name a list item, most telling first (a skill's `name`, a question's `id`)
IDENTITY_KEYS = ("id", "external_id", "name", "language", "code", "key", "title")


@dataclass(frozen=True)
class Node:
    """One difference. `kind` is "added", "removed", "changed" (a leaf whose value was
    replaced), "edited" (a map or list with `children`) or "moved" (a list item that only
    changed its place). Labels are map keys, or list items as `#position` plus their
    identity (`[Python]`); a moved item's label carries both places."""

    kind: str
    label: str
    before: Any = None
    after: Any = None
    children: tuple[Node, ...] = ()
    unchanged: int = 0  # keys or items left out because they are equal
    items: bool = False  # children are list items (not map keys)


def same(a: Any, b: Any) -> bool:
    """Equal as JSON: Python's `==` holds `0 == False` and `1 == 1.0`, which JSON (and
    a body's digest) tells apart."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and bool(a == b)


def diff_values(before: Any, after: Any, label: str = "") -> Node | None:
    """The difference between two JSON values, None when they are equal."""
    if same(before, after):
        return None
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        return _maps(before, after, label)
    if _lists(before, after):
        return _sequences(before, after, label)
    return Node("changed", label, before, after)


def _lists(before: Any, after: Any) -> bool:
    return isinstance(before, list) and isinstance(after, list)


def _maps(before: Mapping[str, Any], after: Mapping[str, Any], label: str) -> Node:
    children: list[Node] = []
    unchanged = 0
    for key in sorted(set(before) | set(after)):
        if key not in before:
            children.append(Node("added", key, None, after[key]))
        elif key not in after:
            children.append(Node("removed", key, before[key], None))
        else:
            node = diff_values(before[key], after[key], key)
            if node is None:
                unchanged += 1
            else:
                children.append(node)
    return Node("edited", label, before, after, tuple(children), unchanged)


def _sequences(before: list[Any], after: list[Any], label: str) -> Node:
    key = identity_key(before, after)
    children = _by_identity(before, after, key) if key else _by_content(before, after)
    unchanged = len(after) - sum(1 for c in children if c.kind != "removed")
    return Node("edited", label, before, after, tuple(children), unchanged, items=True)


def identity_key(before: Sequence[Any], after: Sequence[Any]) -> str | None:
    """The key that names each item of both lists: present in every item, a string or
    number, and different in each item of a list. None when no such key exists."""
    items = [*before, *after]
    if not items or not all(isinstance(i, Mapping) for i in items):
        return None
    for key in IDENTITY_KEYS:
        if all(_scalar(i.get(key)) for i in items) and _unique(before, key) and _unique(after, key):
            return key
    return None


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _unique(items: Sequence[Mapping[str, Any]], key: str) -> bool:
    values = [i[key] for i in items]
    return len(set(values)) == len(values)


def item_label(index: int | None, item: Any, key: str | None) -> str:
    """`#2` or `#2 [Python]`: the 1-based place, and the identity when there is one."""
    place = "" if index is None else f"#{index + 1}"
    if key is not None and isinstance(item, Mapping):
        return f"{place} [{item[key]}]".strip()
    return place


def _by_identity(before: list[Any], after: list[Any], key: str) -> list[Node]:
    old = {item[key]: (i, item) for i, item in enumerate(before)}
    new = {item[key]: (i, item) for i, item in enumerate(after)}
    kept = [k for k in new if k in old]
    in_order = longest_increasing([old[k][0] for k in kept])
    nodes: list[tuple[int, int, Node]] = []
    for k, (i, item) in old.items():
        if k not in new:
            nodes.append((i, 0, Node("removed", item_label(i, item, key), item, None)))
    for pos, k in enumerate(kept):
        (i, was), (j, now) = old[k], new[k]
        moved = pos not in in_order
        label = item_label(j, now, key)
        if moved:
            label = f"#{i + 1} → {label}"
        node = diff_values(was, now, label)
        if node is not None:
            nodes.append((j, 1, node))
        elif moved:
            nodes.append((j, 1, Node("moved", label, was, now)))
    for k, (j, item) in new.items():
        if k not in old:
            nodes.append((j, 1, Node("added", item_label(j, item, key), None, item)))
    return [node for _, _, node in sorted(nodes, key=lambda n: (n[0], n[1]))]


def _by_content(before: list[Any], after: list[Any]) -> list[Node]:
    """Items aligned as `diff` aligns lines; a block replaced by one of the same length is
    compared item by item (an edited item, not a remove and an add)."""
    old = [_canonical(v) for v in before]
    new = [_canonical(v) for v in after]
    nodes: list[Node] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                node = diff_values(before[i], after[j], item_label(j, after[j], None))
                if node is not None:
                    nodes.append(node)
            continue
        nodes += [
            Node("removed", item_label(i, before[i], None), before[i], None) for i in range(i1, i2)
        ]
        nodes += [
            Node("added", item_label(j, after[j], None), None, after[j]) for j in range(j1, j2)
        ]
    return nodes


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def tally(node: Node) -> str:
    """`1 added, 2 edited` for the direct children of an edited map or list (an edited
    item that also moved counts as edited, as questions do)."""
    counts: dict[str, int] = {}
    for child in node.children:
        name = "edited" if child.kind in ("changed", "edited") else child.kind
        counts[name] = counts.get(name, 0) + 1
    order = ("added", "removed", "moved", "edited")
    return ", ".join(f"{counts[k]} {k}" for k in order if counts.get(k))
