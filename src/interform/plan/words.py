"""Word-level diff of two texts, for edited questions."""

from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\s+|[^\s]+")

WordOp = tuple[str, str]  # ("=" kept | "-" removed | "+" added, text)


def word_diff(before: str, after: str) -> tuple[WordOp, ...]:
    """Runs of kept, removed and added text; joining the "=" and "-" runs gives `before`,
    the "=" and "+" runs give `after`."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    ops: list[WordOp] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _push(ops, "=", "".join(old[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _push(ops, "-", "".join(old[i1:i2]))
        if tag in ("insert", "replace"):
            _push(ops, "+", "".join(new[j1:j2]))
    return tuple(ops)


def _push(ops: list[WordOp], op: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1][0] == op:
        ops[-1] = (op, ops[-1][1] + text)
    else:
        ops.append((op, text))


def similarity(a: str, b: str) -> float:
    """Share of words in common (0..1), used to pair an edited question with its old self."""
    return difflib.SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio()


def _words(text: str) -> list[str]:
    # case and punctuation do not make two questions different ones
    return re.findall(r"\w+", text.lower())
