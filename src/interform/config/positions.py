"""Line and column of a YAML path, from ruamel.yaml's round-trip loader.

The round-trip loader is about 8× slower than the fast path, so it only runs for files
that have a problem to report (and for `fmt`). It is used for positions only: what is
wrong is always decided on the fast loader's data.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from interform.config.issues import Issue, YamlPath
from interform.errors import Problem


def roundtrip_load(text: str) -> Any:
    """The round-trip tree (CommentedMap/CommentedSeq), or None when it does not load."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return YAML(typ="rt").load(text)
        except (YAMLError, ValueError):
            return None


class Locator:
    """Positions in one file's text; loads the round-trip tree on first use."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._tree: Any = None
        self._loaded = False

    @property
    def tree(self) -> Any:
        if not self._loaded:
            self._tree, self._loaded = roundtrip_load(self._text), True
        return self._tree

    def position(self, path: YamlPath, at_key: bool = False) -> tuple[int, int]:
        return position_in(self.tree, path, at_key)


def problems_at(rel: str, locator: Locator, issues: Iterable[Issue]) -> list[Problem]:
    return [Problem(rel, *locator.position(i.path, i.at_key), i.message, i.fix) for i in issues]


def position_in(tree: Any, path: YamlPath, at_key: bool = False) -> tuple[int, int]:
    """1-based (line, col) of the value at `path` — of its key when `at_key`, or when the
    value is a block (a mapping or list starts on the next line) or empty. The nearest
    existing ancestor when the path does not exist; (1, 1) for the root."""
    best = (1, 1)
    node = tree
    for depth, part in enumerate(path):
        found = _child(node, part)
        if found is None:
            return best
        child, key_pos, value_pos = found
        last = depth == len(path) - 1
        use_key = not last or at_key or child is None or isinstance(child, (dict, list))
        line, col = key_pos if use_key else value_pos
        best = (line + 1, col + 1)
        node = child
    return best


def _child(node: Any, part: str | int) -> tuple[Any, tuple[int, int], tuple[int, int]] | None:
    """(child, key position, value position), 0-based, or None when absent."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            item = tuple(lc.item(part))
            return node[part], item, item
        if isinstance(node, dict) and part in node:
            return node[part], tuple(lc.key(part)), tuple(lc.value(part))
    except (KeyError, TypeError, IndexError):  # merged keys (<<) carry no position
        pass
    return None


def locate(root: Path, relpath: str, yaml_path: YamlPath) -> tuple[int, int]:
    """1-based (line, col) of the key/value at `yaml_path` in the file `root/relpath`."""
    try:
        text = (root / relpath).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return (1, 1)
    return Locator(text).position(yaml_path)
