"""Values and their differences as plan lines, for the text and Markdown renderers.

Nothing a reviewer must see is cut: a created or removed value is shown whole (maps and
lists one entry a line when they do not fit on one, long strings wrapped, multi-line
strings as a block); a changed map or list shows each key and item that changed, with
the top level's symbols; a changed string shows its word diff (a line diff when it has
several lines). Only unchanged context is shortened, and says by how much.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from interform.output.style import REMARK, WIDTH, Segment, Style, wrap
from interform.plan.values import Node, diff_values, identity_key, item_label, tally
from interform.plan.words import ELIDED, WordOp, elide_words, line_diff, word_diff

STEP = 4  # columns per nesting level
SHORT = 80  # two strings this long together read best as `"before" → "after"`


@dataclass(frozen=True)
class Remarks:
    """What the lines of one field say after a `#`: `leaf` on each changed value (in
    place or forces replacement), `top` once on the field's first line (drift)."""

    leaf: tuple[str, ...] = ()
    top: tuple[str, ...] = ()


NONE = Remarks()


class ValueLines:
    """Renders values at an indent, in one style."""

    def __init__(self, style: Style, width: int = WIDTH) -> None:
        self.style = style
        self.width = width

    # ------------------------------------------------------------------ whole values

    def whole(
        self, symbol: str, label: str, value: Any, indent: int, remarks: Remarks = NONE
    ) -> list[str]:
        """`+ label: value` (or `-`), the value shown whole."""
        head = self._head(symbol, label, indent)
        if isinstance(value, str) and "\n" in value:
            return self._block(head, value, indent, remarks.top)
        text = _json(value)
        if _expandable(value) and (self._too_wide(indent, label, text) or "\\n" in text):
            colon = ":" if label and not label.startswith("#") else ""
            lines = self._line([*head, (colon, "")], indent, remarks.top)
            for child_label, child in _entries(value):
                lines += self.whole(symbol, child_label, child, indent + STEP)
            return lines
        return self._line([*head, (_sep(label) + text, "")], indent, remarks.top)

    def _block(
        self, head: list[Segment], text: str, indent: int, remarks: tuple[str, ...]
    ) -> list[str]:
        lines = self._line([*head, (": |", "")], indent, remarks)
        pad = " " * (indent + STEP)
        for line in text.split("\n"):
            lines += self._line([(pad, ""), (line, "")], indent + STEP) if line else [""]
        return lines

    def _too_wide(self, indent: int, label: str, text: str) -> bool:
        return indent + 2 + len(label) + 2 + len(text) > self.width

    # ------------------------------------------------------------------ differences

    def field(
        self, name: str, before: Any, after: Any, indent: int, remarks: Remarks = NONE
    ) -> list[str]:
        """The lines of one changed field: added, removed or its nested difference."""
        if before is None:
            node: Node | None = Node("added", name, None, after)
        elif after is None:
            node = Node("removed", name, before, None)
        else:
            node = diff_values(before, after, name)
        return self.node(node, indent, remarks) if node is not None else []

    def node(self, node: Node, indent: int, remarks: Remarks) -> list[str]:
        leaf = Remarks(remarks.leaf, remarks.leaf + remarks.top)
        if node.kind == "added":
            return self.whole("+", node.label, node.after, indent, leaf)
        if node.kind == "removed":
            return self.whole("-", node.label, node.before, indent, leaf)
        if node.kind == "moved":
            head = self._head("↕", node.label, indent)
            return self._line([*head, (" " + _short(node.after), "")], indent, leaf.top)
        if node.kind == "changed":
            return self.change(node.label, node.before, node.after, indent, leaf)
        return self._container(node, indent, remarks)

    def _container(self, node: Node, indent: int, remarks: Remarks) -> list[str]:
        colon = "" if node.label.startswith("#") else ":"
        summary = f" {tally(node)}" if node.items else ""
        head = [*self._head("~", node.label, indent), (colon + summary, "")]
        lines = self._line(head, indent, remarks.top)
        inner = Remarks(remarks.leaf)
        for child in node.children:
            lines += self.node(child, indent + STEP, inner)
        if node.unchanged:
            what = "item" if node.items else "key"
            plural = "" if node.unchanged == 1 else "s"
            note = f"# {node.unchanged} unchanged {what}{plural} not shown"
            lines.append(" " * (indent + STEP + 2) + self.style.paint(note, "2"))
        return lines

    def change(
        self, label: str, before: Any, after: Any, indent: int, remarks: Remarks
    ) -> list[str]:
        """A value replaced by another: a word or line diff for text, else both whole."""
        head = self._head("~", label, indent)
        if isinstance(before, str) and isinstance(after, str):
            if "\n" in before or "\n" in after:
                return self._lines_diff(head, before, after, indent, remarks.top)
            words = word_diff(before, after)
            if len(before) + len(after) > SHORT and _shares_words(words):
                segments = [*head, (_sep(label), ""), *self.words(words)]
                return self._line(segments, indent, remarks.top)
        text = f"{_json(before)} → {_json(after)}"
        return self._line([*head, (_sep(label) + text, "")], indent, remarks.top)

    def words(self, ops: tuple[WordOp, ...]) -> list[Segment]:
        """Word-level markup: `kept [-removed-]{+added+} … (12 words) … kept`."""
        out: list[Segment] = []
        for op, text in elide_words(ops):
            if op in "-+" and text.strip():
                # spaces at the edges go outside the markers, so a line breaks there
                core = text.strip()
                lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
                marked = f"[-{core}-]" if op == "-" else f"{{+{core}+}}"
                out += [(lead, ""), (marked, "31" if op == "-" else "32"), (trail, "")]
            elif op in "-+":
                out.append((f"[-{text}-]" if op == "-" else f"{{+{text}+}}", ""))
            elif op == ELIDED:
                out.append((f"…({text})…", "2"))
            else:
                out.append((text, ""))
        return out

    def _lines_diff(
        self, head: list[Segment], before: str, after: str, indent: int, remarks: tuple[str, ...]
    ) -> list[str]:
        lines = self._line([*head, (":", "")], indent, remarks)
        at = indent + STEP
        for op, content in line_diff(before, after):
            if op == "~":
                assert isinstance(content, tuple)
                lines += self._line([*self._head("~", "", at), *self.words(content)], at)
            elif op == ELIDED:
                lines.append(" " * (at + 2) + self.style.paint(f"…({content})…", "2"))
            else:
                assert isinstance(content, str)
                symbol = " " if op == "=" else op
                lines += self._line([*self._head(symbol, "", at), (content, "")], at)
        return lines

    def edited_words(self, label: str, ops: tuple[WordOp, ...], indent: int) -> list[str]:
        """`~ label kept [-removed-]{+added+}`: an edited text given as its word diff."""
        return self._line([*self._head("~", label, indent), (" ", ""), *self.words(ops)], indent)

    def remarked(self, line: str, remarks: tuple[str, ...]) -> list[str]:
        """A line built elsewhere, with remarks (as the first of a field's lines)."""
        indent = len(line) - len(line.lstrip(" "))
        return self._line([(line, "")], indent, remarks)

    # ------------------------------------------------------------------ lines

    def _head(self, symbol: str, label: str, indent: int) -> list[Segment]:
        mark = self.style.mark(symbol) if symbol.strip() else symbol
        first = (" " * indent + mark, "")
        return [first, (" " + label, "")] if label else [first, (" ", "")]

    def _line(
        self, segments: list[Segment], indent: int, remarks: tuple[str, ...] = ()
    ) -> list[str]:
        tail = None
        if remarks:
            # one colour for the whole remark: the strongest one it holds
            code = next((REMARK[r] for r in remarks if r in REMARK), "2")
            tail = ("  # " + "; ".join(remarks), code)
        return wrap(segments, self.style, hang=indent + STEP, width=self.width, tail=tail)


def _sep(label: str) -> str:
    """`key: value`, but `#2 value` for a list item."""
    return " " if label.startswith("#") else ": "


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # one, not one per value


def _json(value: Any) -> str:
    return _ENCODER.encode(value)


def _short(value: Any, limit: int = 60) -> str:
    """Unchanged context (a moved item) on one line; the only place a value is cut."""
    text = _json(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _expandable(value: Any) -> bool:
    return isinstance(value, (Mapping, list)) and bool(value)


def _entries(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, Mapping):
        return [(str(k), value[k]) for k in sorted(value)]
    key = identity_key(value, value)
    return [(item_label(i, item, key), item) for i, item in enumerate(value)]


def _shares_words(ops: tuple[WordOp, ...]) -> bool:
    """Whether a word diff keeps enough of the text to be read as an edit: one that
    replaces (nearly) everything says less than the two values."""
    kept = sum(len(text.strip()) for op, text in ops if op == "=")
    before = sum(len(text) for op, text in ops if op != "+")
    after = sum(len(text) for op, text in ops if op != "-")
    return kept * 3 >= max(before, after)
