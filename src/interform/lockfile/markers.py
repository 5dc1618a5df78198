"""Git conflict markers in a lockfile: finding them, and taking the two sides apart.

A merge without interform's merge driver (a clone where `interform lockfile setup-git`
never ran, a web merge) leaves hunks like

    <<<<<<< ours-label
    ...our lines...
    ||||||| base-label       (only with merge.conflictStyle diff3 or zdiff3)
    ...the common ancestor's lines...
    =======
    ...their lines...
    >>>>>>> theirs-label

Every line outside the hunks belongs to all three versions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"^(<{7,}|\|{7,}|={7,}|>{7,})(?: .*)?$")
_START, _BASE, _SPLIT, _END = "<", "|", "=", ">"


@dataclass(frozen=True)
class Sides:
    ours: str
    theirs: str
    base: str | None  # None when the markers do not carry it (the default style)


def first_marker_line(text: str) -> int:
    """1-based line of the first conflict-start marker; 0 when there is none."""
    for number, line in enumerate(text.splitlines(), start=1):
        match = _MARKER.match(line)
        if match and match[1][0] == _START:
            return number
    return 0


def split_sides(text: str) -> Sides | None:
    """Both versions (and the base, when shown) of a text holding conflict hunks; None
    when the markers do not nest as git writes them."""
    ours: list[str] = []
    theirs: list[str] = []
    base: list[str] = []
    has_base = True
    state = ""  # "" outside a hunk, else the marker that opened the current section
    for line in text.splitlines(keepends=True):
        match = _MARKER.match(line.rstrip("\r\n"))
        kind = match[1][0] if match else None
        if kind is not None and _allowed(state, kind):
            if kind == _SPLIT and state == _START:
                has_base = False  # this hunk shows no base
            state = "" if kind == _END else kind
            continue
        if kind is not None:
            return None  # a marker out of order
        if state in ("", _START):
            ours.append(line)
        if state in ("", _SPLIT):
            theirs.append(line)
        if state in ("", _BASE):
            base.append(line)
    if state:
        return None  # a hunk never closed
    return Sides("".join(ours), "".join(theirs), "".join(base) if has_base else None)


def _allowed(state: str, kind: str) -> bool:
    """Which marker may follow which: < [|] = >."""
    follows = {"": _START, _START: _BASE + _SPLIT, _BASE: _SPLIT, _SPLIT: _END}
    return kind in follows[state]
