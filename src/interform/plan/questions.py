"""Question-level diffs: which questions were added, removed, moved or edited.

Questions are matched by id first, then by identical text, then by similarity (an
edited question keeps its identity when most of its words survive). Moves are the
matched questions outside the longest run that kept its relative order, so inserting
one question at the top does not report every other one as moved.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from interform.plan.model import FieldDiff, QuestionChange
from interform.plan.words import similarity, word_diff
from interform.providers.base import KindSpec

SIMILAR = 0.5  # least share of common words for an edit rather than remove + add


@dataclass(frozen=True)
class _Item:
    index: int
    id: str | None
    text: str
    rest: dict[str, Any]


def diff_questions(before: Any, after: Any, spec: KindSpec) -> list[QuestionChange]:
    """Question changes between two values of `spec.questions_field` (unchanged left out)."""
    old = _items(before, spec)
    new = _items(after, spec)
    pairs = _match(old, new)
    moved = _moved(pairs)
    paired_old = {o.index for o, _ in pairs}
    paired_new = {n.index for _, n in pairs}
    changes = [_removed(o) for o in old if o.index not in paired_old]
    changes += [_added(n) for n in new if n.index not in paired_new]
    for o, n in pairs:
        change = _compare(o, n, moved=(o.index, n.index) in moved)
        if change is not None:
            changes.append(change)
    return sorted(changes, key=_order)


def _items(value: Any, spec: KindSpec) -> list[_Item]:
    if not isinstance(value, list):
        return []
    items = []
    for index, raw in enumerate(value):
        if isinstance(raw, dict):
            ident = raw.get(spec.question_id_key) if spec.question_id_key else None
            text = raw.get(spec.question_text_key, "") if spec.question_text_key else ""
            skip = {spec.question_id_key, spec.question_text_key}
            rest = {k: v for k, v in raw.items() if k not in skip}
            items.append(_Item(index, None if ident is None else str(ident), str(text), rest))
        else:
            items.append(_Item(index, None, str(raw), {}))
    return items


def _match(old: list[_Item], new: list[_Item]) -> list[tuple[_Item, _Item]]:
    pairs: list[tuple[_Item, _Item]] = []
    by_id = {o.id: o for o in old if o.id is not None}
    for n in new:
        if n.id is not None and n.id in by_id:
            pairs.append((by_id.pop(n.id), n))
    left_old = _unpaired(old, pairs, 0)
    left_new = _unpaired(new, pairs, 1)
    # identical text, in order; a question whose id changed keeps its identity by text
    for n in list(left_new):
        o = next((o for o in left_old if o.text == n.text), None)
        if o is not None:
            pairs.append((o, n))
            left_old.remove(o)
            left_new.remove(n)
    pairs += _similar(left_old, left_new)
    return pairs


def _unpaired(items: list[_Item], pairs: list[tuple[_Item, _Item]], side: int) -> list[_Item]:
    taken = {pair[side].index for pair in pairs}
    return [i for i in items if i.index not in taken]


def _similar(old: list[_Item], new: list[_Item]) -> list[tuple[_Item, _Item]]:
    """Greedy best-first pairing of the remaining questions by word similarity."""
    if not old or not new:
        return []
    scored = sorted(
        ((similarity(o.text, n.text), o.index, n.index, o, n) for o in old for n in new),
        key=lambda s: (-s[0], s[1], s[2]),
    )
    pairs: list[tuple[_Item, _Item]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, oi, ni, o, n in scored:
        if score < SIMILAR:
            break
        if oi in used_old or ni in used_new:
            continue
        # an id on both sides that differs means two different questions
        if o.id is not None and n.id is not None:
            continue
        used_old.add(oi)
        used_new.add(ni)
        pairs.append((o, n))
    return pairs


def _moved(pairs: list[tuple[_Item, _Item]]) -> set[tuple[int, int]]:
    """Pairs outside a longest increasing subsequence of old positions in new order."""
    ordered = sorted(pairs, key=lambda p: p[1].index)
    olds = [o.index for o, _ in ordered]
    keep = longest_increasing(olds)
    return {(o.index, n.index) for k, (o, n) in enumerate(ordered) if k not in keep}


def longest_increasing(values: Sequence[int]) -> set[int]:
    """Positions (in `values`) of one longest strictly increasing subsequence."""
    tails: list[int] = []  # values
    tail_pos: list[int] = []  # their positions
    back: list[int] = [-1] * len(values)
    for pos, value in enumerate(values):
        at = bisect.bisect_left(tails, value)
        if at:
            back[pos] = tail_pos[at - 1]
        if at == len(tails):
            tails.append(value)
            tail_pos.append(pos)
        else:
            tails[at] = value
            tail_pos[at] = pos
    keep: set[int] = set()
    pos = tail_pos[-1] if tail_pos else -1
    while pos >= 0:
        keep.add(pos)
        pos = back[pos]
    return keep


def _compare(o: _Item, n: _Item, *, moved: bool) -> QuestionChange | None:
    fields = tuple(
        FieldDiff(name, o.rest.get(name), n.rest.get(name))
        for name in sorted(set(o.rest) | set(n.rest))
        if o.rest.get(name) != n.rest.get(name)
    )
    if o.id != n.id:
        fields = (FieldDiff("id", o.id, n.id), *fields)
    edited = o.text != n.text or bool(fields)
    if not edited and not moved:
        return None
    return QuestionChange(
        kind="edited" if edited else "moved",
        id=n.id or o.id,
        before=o.text,
        after=n.text,
        before_index=o.index,
        after_index=n.index,
        words=word_diff(o.text, n.text) if o.text != n.text else (),
        fields=fields,
        moved=moved,
    )


def _removed(o: _Item) -> QuestionChange:
    fields = tuple(FieldDiff(name, o.rest[name], None) for name in sorted(o.rest))
    return QuestionChange("removed", o.id, o.text, None, before_index=o.index, fields=fields)


def _added(n: _Item) -> QuestionChange:
    # a new question is shown whole: its other settings too, not only its text
    fields = tuple(FieldDiff(name, None, n.rest[name]) for name in sorted(n.rest))
    return QuestionChange("added", n.id, None, n.text, after_index=n.index, fields=fields)


def _order(change: QuestionChange) -> tuple[int, int, int]:
    # removals sit where they were, other changes where they land
    if change.after_index is None:
        return (change.before_index or 0, 0, 0)
    return (change.after_index, 1, change.before_index or 0)
