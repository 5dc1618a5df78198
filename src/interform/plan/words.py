"""Word-level diff of two texts, for edited questions."""

from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")  # spaces, words, single punctuation marks

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


# ------------------------------------------------------------------ shortened context

ELIDED = "…"  # the op of a stretch of unchanged text left out; its text is the count
CONTEXT_WORDS = 5  # unchanged words kept on each side of a change
_CHUNK = re.compile(r"\s+|\S+")
CONTEXT_LINES = 2  # unchanged lines kept on each side of a changed line


def elide_words(ops: tuple[WordOp, ...], context: int = CONTEXT_WORDS) -> list[WordOp]:
    """`ops` with each long unchanged stretch cut to `context` words beside the changes
    and an (ELIDED, "N words") op in its place. Changed words are never cut."""
    out: list[WordOp] = []
    last = len(ops) - 1
    for index, (op, text) in enumerate(ops):
        if op != "=":
            out.append((op, text))
            continue
        chunks = _CHUNK.findall(text)  # words as the reader counts them: between spaces
        words = [i for i, c in enumerate(chunks) if not c.isspace()]
        keep_head = context if index > 0 else 0  # words after the change before it
        keep_tail = context if index < last else 0  # words before the next change
        if len(words) <= keep_head + keep_tail + 2:  # not worth a marker
            out.append((op, text))
            continue
        head_end = words[keep_head]
        tail_start = words[len(words) - keep_tail] if keep_tail else len(chunks)
        if chunks[tail_start - 1].isspace():
            tail_start -= 1  # the space before the kept words stays with them
        if head_end:
            out.append(("=", "".join(chunks[:head_end])))
        dropped = len(words) - keep_head - keep_tail
        out.append((ELIDED, f"{dropped} word{'' if dropped == 1 else 's'}"))
        if tail_start < len(chunks):
            out.append(("=", "".join(chunks[tail_start:])))
    return out


LineOp = tuple[str, str | tuple[WordOp, ...]]  # ("=" | "-" | "+", line), ("~", word ops)


def line_diff(before: str, after: str, context: int = CONTEXT_LINES) -> list[LineOp]:
    """Lines kept, removed, added, or edited (a line replaced by one line: its word diff),
    with long unchanged stretches as (ELIDED, "N lines")."""
    old, new = before.split("\n"), after.split("\n")
    ops: list[LineOp] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    codes = matcher.get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal":
            ops += _kept_lines(old[i1:i2], context, first=n == 0, last=n == len(codes) - 1)
        elif tag == "replace" and i2 - i1 == j2 - j1:
            ops += [("~", word_diff(a, b)) for a, b in zip(old[i1:i2], new[j1:j2], strict=True)]
        else:
            ops += [("-", line) for line in old[i1:i2]]
            ops += [("+", line) for line in new[j1:j2]]
    return ops


def _kept_lines(lines: list[str], context: int, *, first: bool, last: bool) -> list[LineOp]:
    head = 0 if first else context
    tail = 0 if last else context
    if len(lines) <= head + tail + 1:
        return [("=", line) for line in lines]
    dropped = len(lines) - head - tail
    return [
        *(("=", line) for line in lines[:head]),
        (ELIDED, f"{dropped} unchanged line{'s' if dropped != 1 else ''}"),
        *(("=", line) for line in lines[len(lines) - tail :]),
    ]
