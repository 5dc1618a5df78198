"""The human plan: Terraform-like symbols, field and question diffs, a summary line."""

from __future__ import annotations

from interform.plan.model import REMOVALS, SYMBOLS, Action, Change, FieldDiff, Plan, QuestionChange
from interform.render.common import (
    describe,
    legend,
    position,
    question_summary,
    summary_line,
    value,
)

_RESET = "\033[0m"
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
_MARK = {"+": "32", "-": "31", "~": "33", "↕": "36", "!": "1;31", "#": "2"}


class Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}{_RESET}" if self.colour and code != "0" else text

    def mark(self, symbol: str) -> str:
        return self.paint(symbol, _MARK.get(symbol, "0"))


def render_text(plan: Plan, colour: bool = False) -> str:
    style = Style(colour)
    lines = header(plan, style)
    for change in plan.changes:
        lines += change_lines(change, style)
        lines.append("")
    if plan.warnings:
        lines.append(style.paint("Warnings:", "33"))
        lines += [f"  {style.mark('!')} {w}" for w in plan.warnings]
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
    if change.moved_from and change.action is not Action.MOVE:
        lines.append(f"      {style.mark('#')} moved from {change.moved_from}")
    if change.reason:
        lines.append(f"      {style.mark('#')} {change.reason}")
    lines += [f"      {style.mark('#')} note: {note}" for note in change.notes]
    if change.import_command:
        lines.append(f"      {style.mark('!')} run: {change.import_command}")
    if change.action not in REMOVALS:
        lines += _field_lines(change, style)
    return lines


def _field_lines(change: Change, style: Style) -> list[str]:
    lines = []
    for diff in change.fields:
        if diff.name == change.questions_field and change.questions:
            lines.append(
                f"      {style.mark('+' if diff.before is None else '~')} {diff.name}: "
                f"{question_summary(change)}"
            )
            lines += [line for q in change.questions for line in _question_lines(q, style)]
        else:
            lines.append("      " + field_line(diff, style))
    return lines


def field_line(diff: FieldDiff, style: Style) -> str:
    if diff.before is None:
        text = f"{style.mark('+')} {diff.name}: {value(diff.after)}"
    elif diff.after is None:
        text = f"{style.mark('-')} {diff.name}: {value(diff.before)}"
    else:
        before, after = value(diff.before, 60), value(diff.after, 60)
        text = f"{style.mark('~')} {diff.name}: {before} → {after}"
    remarks = []
    if diff.forces_replacement:
        remarks.append(style.paint("forces replacement", "35"))
    if diff.drift:
        remarks.append(style.paint("changed outside interform", "33"))
    return text + ("  # " + "; ".join(remarks) if remarks else "")


def _question_lines(q: QuestionChange, style: Style) -> list[str]:
    pad = "          "
    ident = f" [{q.id}]" if q.id else ""
    if q.kind == "added":
        return [f"{pad}{style.mark('+')} {position(q.after_index)}{ident} {value(q.after, 100)}"]
    if q.kind == "removed":
        return [f"{pad}{style.mark('-')} {position(q.before_index)}{ident} {value(q.before, 100)}"]
    where = position(q.after_index)
    if q.moved or q.kind == "moved":
        where = f"{position(q.before_index)} → {position(q.after_index)}"
    if q.kind == "moved":
        return [f"{pad}{style.mark('↕')} {where}{ident} {value(q.after, 100)}"]
    text = words(q, style) if q.words else value(q.after, 100)
    lines = [f"{pad}{style.mark('~')} {where}{ident} {text}"]
    lines += [f"{pad}    {field_line(f, style)}" for f in q.fields]
    return lines


def words(q: QuestionChange, style: Style) -> str:
    """Word-level markup of an edit: `keep [-removed-]{+added+}`."""
    out = []
    for op, text in q.words:
        if op == "-":
            out.append(style.paint(f"[-{text}-]", "31"))
        elif op == "+":
            out.append(style.paint(f"{{+{text}+}}", "32"))
        else:
            out.append(text)
    return "".join(out)
