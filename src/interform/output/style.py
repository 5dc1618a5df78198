"""Colours and line wrapping shared by the text and Markdown renderers.

Lines are built from segments (text, colour) so that a long line can be wrapped by its
visible width and painted afterwards: escape codes never count, and a colour never
spills onto the next line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

RESET = "\033[0m"
WIDTH = 100  # visible columns a line is wrapped at (values are wrapped, never cut)
MARKS = {"+": "32", "-": "31", "~": "33", "↕": "36", "!": "1;31", "#": "2"}
REMARK = {"forces replacement": "35", "changed outside interform": "33"}

Segment = tuple[str, str]  # (text, colour code; "" for plain)
# a word; a `code span` (a command, a YAML line) with what is glued to it stays whole
_TOKEN = re.compile(r"\s+|(?:[^\s`]*`[^`]*`)+[^\s`]*|\S+")


class Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}{RESET}" if self.colour and code not in ("", "0") else text

    def mark(self, symbol: str) -> str:
        return self.paint(symbol, MARKS.get(symbol, "0"))


def wrap(
    segments: Iterable[Segment],
    style: Style,
    hang: int,
    width: int = WIDTH,
    tail: Segment | None = None,
) -> list[str]:
    """The segments as lines of at most `width` visible columns (a word longer than that
    stays whole), continuation lines indented by `hang` spaces. The first segment (the
    indent and symbol) and the `tail` (a remark) are never broken."""
    segments = list(segments)
    if sum(len(text) for text, _ in segments) + (len(tail[0]) if tail else 0) <= width:
        return [_paint([*segments, tail] if tail else segments, style)]  # fits: most lines
    lines: list[list[Segment]] = [[]]
    used = 0
    gap = ""  # whitespace waiting for the next word on the same line
    for n, (text, code) in enumerate(segments):
        for token in [text] if n == 0 else _TOKEN.findall(text):
            if token.isspace():
                gap += token
                continue
            if used + len(gap) + len(token) > width and used > hang:
                lines.append([(" " * hang, "")])
                used, gap = hang, ""
            lines[-1] += [(gap, ""), (token, code)] if gap else [(token, code)]
            used += len(gap) + len(token)
            gap = ""
    if tail is not None:
        if used + len(tail[0]) > width and used > hang:
            lines.append([(" " * hang, "")])
            tail = (tail[0].lstrip(" "), tail[1])
        lines[-1].append(tail)
    return [_paint(line, style) for line in lines]


def _paint(line: list[Segment], style: Style) -> str:
    painted = (
        style.paint(text, code) if code and not text.isspace() else text for text, code in line
    )
    return "".join(painted).rstrip(" ")
