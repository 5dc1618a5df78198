"""The human plan: Terraform-like symbols, field and question diffs, a summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from interform.output import Output
from interform.output.common import (
    IGNORED,
    REFUSED,
    describe,
    legend,
    position,
    question_summary,
    summary_line,
)
from interform.output.style import Style, wrap
from interform.plan.model import REMOVALS, SYMBOLS, Action, Change, FieldDiff, Plan, QuestionChange

if TYPE_CHECKING:
    from interform.output.values import Remarks, ValueLines

FIELD_INDENT = 6  # field lines sit under their change's header

_COLOURS = {
    Action.CREATE: "32",  # green
    Action.UPDATE: "33",  # yellow
    Action.REPLACE: "35",  # magenta
    Action.DELETE: "31",  # red
    Action.ARCHIVE: "31",
    Action.FORGET: "31",
    Action.MOVE: "36",  # cyan
    Action.ADOPT: "36",
    Action.BLOCKED: "1;31",  # bold red
    Action.NOOP: "0",
}


def render_text(plan: Plan, colour: bool = False) -> str:
    style = Style(colour)
    lines = header(plan, style)
    for change in plan.changes:
        lines += change_lines(change, style)
        lines.append("")
    lines += ignored_lines(plan, style)
    if plan.warnings:
        lines.append(style.paint("Warnings:", "33"))
        lines += [f"  {style.mark('!')} {w}" for w in plan.warnings]
        lines.append("")
    if plan.refused:
        lines.append(style.paint(REFUSED, "1;31"))
        lines += [line for r in plan.refused for line in _bullet(r, style)]
        lines.append("")
    lines.append(style.paint(summary_line(plan), "1"))
    return "\n".join(lines) + "\n"


def header(plan: Plan, style: Style) -> list[str]:
    lines = []
    if plan.sandbox:
        lines.append("Sandbox: planned against the emulated platforms and the sandbox lockfile.")
    if plan.refreshed:
        lines.append("Remote state was read back from the platforms (--refresh).")
    if plan.changes:
        lines.append("Symbols:")
        lines += [
            f"  {style.paint(symbol.rjust(3), _COLOURS[action])} {meaning}"
            for action, symbol, meaning in legend(plan.changes)
        ]
        lines += ["", "interform will perform the following actions:"]
    if lines:
        lines.append("")
    return lines


def change_lines(change: Change, style: Style) -> list[str]:
    """One change: its header, reason and notes, then its field and question diffs."""
    symbol = style.paint(SYMBOLS[change.action].rjust(3), _COLOURS[change.action])
    lines = [f"{symbol} {change.address}  ({describe(change)})"]
    comments = []
    if change.moved_from and change.action is not Action.MOVE:
        comments.append(f"moved from {change.moved_from}")
    if change.reason:
        comments.append(change.reason)
    comments += [f"note: {note}" for note in change.notes]
    for text in comments:
        lines += _comment("#", text, style)
    if change.import_command:  # a command to copy: one line, never wrapped
        lines.append(f"{' ' * FIELD_INDENT}{style.mark('!')} run: {change.import_command}")
    if change.action not in REMOVALS:
        lines += _field_lines(change, style)
    return lines


def ignored_lines(plan: Plan, style: Style) -> list[str]:
    """Differences `ignore_changes` keeps out of the plan: what the object has now, then
    what the definition says."""
    if not plan.ignored:
        return []
    return [*wrap([("", ""), (IGNORED, "2")], style, 0), *ignored_diffs(plan, style), ""]


def ignored_diffs(plan: Plan, style: Style) -> list[str]:
    # value diffs load only when a plan has one to show (docs/architecture.md, Speed)
    from interform.output.values import ValueLines

    values = ValueLines(style)
    lines = []
    for address, diffs in plan.ignored.items():
        lines.append(f"    {address}")
        for diff in diffs:
            lines += values.field(diff.name, diff.before, diff.after, FIELD_INDENT)
    return lines


def _bullet(text: str, style: Style) -> list[str]:
    return wrap([(f"  {style.mark('!')}", ""), (" " + text, "")], style, 4)


def _comment(symbol: str, text: str, style: Style) -> list[str]:
    """A reason or note under a change's header, wrapped under its first word."""
    return wrap([(" " * FIELD_INDENT + style.mark(symbol), ""), (" " + text, "")], style, 8)


def _field_lines(change: Change, style: Style) -> list[str]:
    from interform.output.values import ValueLines  # only with a change: see `ignored_diffs`

    values = ValueLines(style)
    lines = []
    for diff in change.fields:
        remarks = _remarks(change, diff)
        if diff.name == change.questions_field and change.questions:
            symbol = "+" if diff.before is None else "~"
            head = f"      {style.mark(symbol)} {diff.name}: {question_summary(change)}"
            lines += values.remarked(head, remarks.leaf + remarks.top)
            lines += [line for q in change.questions for line in _question_lines(q, values)]
        else:
            lines += values.field(diff.name, diff.before, diff.after, FIELD_INDENT, remarks)
    return lines


def _remarks(change: Change, diff: FieldDiff) -> Remarks:
    """Each changed value says what it does to the object; a new object's values need not."""
    from interform.output.values import Remarks  # only with a change: see `ignored_diffs`

    if change.action is Action.CREATE:
        return Remarks()
    policy = "forces replacement" if diff.forces_replacement else "updates in place"
    return Remarks((policy,), ("changed outside interform",) if diff.drift else ())


def _question_lines(q: QuestionChange, values: ValueLines) -> list[str]:
    from interform.output.values import STEP  # only with a change: see `ignored_diffs`

    at = FIELD_INDENT + STEP
    ident = f" [{q.id}]" if q.id else ""
    if q.kind in ("added", "removed"):
        symbol, index = ("+", q.after_index) if q.kind == "added" else ("-", q.before_index)
        text = q.after if q.kind == "added" else q.before
        lines = values.whole(symbol, f"{position(index)}{ident}", text, at)
        return lines + [
            line for f in q.fields for line in values.field(f.name, f.before, f.after, at + STEP)
        ]
    where = position(q.after_index)
    if q.moved or q.kind == "moved":
        where = f"{position(q.before_index)} → {position(q.after_index)}"
    if q.kind == "moved":
        return values.whole("↕", f"{where}{ident}", q.after, at)
    if q.words:
        lines = values.edited_words(f"{where}{ident}", q.words, at)
    else:
        lines = values.whole("~", f"{where}{ident}", q.after, at)
    for f in q.fields:
        lines += values.field(f.name, f.before, f.after, at + STEP)
    return lines


def as_text(plan: Plan, out: Output) -> str:
    """`FORMATS["text"]`."""
    return render_text(plan, colour=out.colour)
