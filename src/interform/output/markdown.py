"""`plan --markdown`: a pull-request comment.

A summary table per target, then one collapsible section per interview holding the same
diff the terminal shows. GitHub refuses comments over 65,536 characters, so a plan that
would exceed `limit` is shortened in steps, largest first, until it fits: an interview's
diff becomes one line per changed object (its action and the fields that change); then,
if that is still too long, one line per interview with its counts. The table always
counts every change, and the comment says where the whole plan is (the CI job summary,
made with `--limit 0`, or `interform plan`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby

from interform.output import COMMENT_LIMIT, Output
from interform.output.common import COUNTED, REFUSED, VERBS, counts, summary_line
from interform.output.style import Style
from interform.output.text import change_lines, ignored_diffs
from interform.plan.model import Change, Plan

LIMIT = COMMENT_LIMIT
WHERE_IN_FULL = "run `interform plan --markdown --limit 0` for every detail"


def render_markdown(plan: Plan, limit: int = LIMIT, full_plan: str = WHERE_IN_FULL) -> str:
    """The comment; `limit` 0 never shortens it. `full_plan` says where the whole plan
    is when it is shortened (a link to the CI job summary, or a command)."""
    head = [*_head(plan), *_table(plan)]
    groups = [_Group(interview, list(changes)) for interview, changes in _by_interview(plan)]
    tail = [*_ignored(plan), *_warnings(plan)]
    full = _join(head, [line for g in groups for line in g.full], tail)
    if not limit or len(full) <= limit:
        return full
    note = [
        f"> The whole plan ({len(full):,} characters) is too long for a comment, so the "
        f"largest parts are shortened here; {full_plan}.",
        "",
    ]
    tail = _ignored(plan, collapsed=True) + _warnings(plan)
    room = limit - _size([*head, *note, *tail])
    return _join([*head, *note], _fitted(groups, room), tail)


@dataclass
class _Group:
    """One interview's changes: its full diff, one line per object, or one line."""

    interview: str
    changes: list[Change]

    @cached_property
    def full(self) -> list[str]:
        return _details(self.interview, self.changes)

    @cached_property
    def objects(self) -> list[str]:
        name, tally = html.escape(self.interview), html.escape(_tally(self.changes))
        return [f"- <code>{name}</code> — {tally}", *(f"  - {_one_line(c)}" for c in self.changes)]

    @property
    def line(self) -> list[str]:
        return [self.objects[0]]


def _fitted(groups: Sequence[_Group], room: int) -> list[str]:
    """The groups, each as detailed as the room allows, the largest shortened first."""
    shown = {g.interview: g.full for g in groups}
    total = sum(_size(block) for block in shown.values())
    for shorter in ("objects", "line"):
        for group in sorted(groups, key=lambda g: -_size(shown[g.interview])):
            if total <= room:
                break
            short = [*getattr(group, shorter), ""]
            saved = _size(shown[group.interview]) - _size(short)
            if saved > 0:
                shown[group.interview], total = short, total - saved
    body = [line for g in groups for line in shown[g.interview]]
    for folder in (_parent, _top):  # too many interviews for a line each: by folder
        if _size(body) <= room:
            break
        body = _folders(groups, folder)
    return body


def _folders(groups: Sequence[_Group], folder: Callable[[str], str]) -> list[str]:
    """One line per folder of interviews, counting every change in it."""
    lines = []
    ordered = sorted(groups, key=lambda g: folder(g.interview))
    for name, members in groupby(ordered, key=lambda g: folder(g.interview)):
        inside = list(members)
        tally = html.escape(_tally([c for g in inside for c in g.changes]))
        lines.append(f"- <code>{html.escape(name)}</code> ({len(inside):,} interviews) — {tally}")
    return [*lines, ""]


def _parent(interview: str) -> str:
    return interview.rsplit("/", 1)[0] + "/" if "/" in interview else "(top level)"


def _top(interview: str) -> str:
    return interview.split("/", 1)[0] + "/" if "/" in interview else "(top level)"


def _one_line(change: Change) -> str:
    """`` `eng/a@micro1` update in place: name, questions``."""
    names = ", ".join(f.name for f in change.fields)
    return f"`{change.address}` {VERBS[change.action]}" + (
        f": {html.escape(names)}" if names else ""
    )


def _by_interview(plan: Plan) -> Iterable[tuple[str, Iterable[Change]]]:
    return groupby(sorted(plan.changes, key=lambda c: c.interview), key=lambda c: c.interview)


def _join(head: list[str], body: list[str], tail: list[str]) -> str:
    return "\n".join([*head, *body, *tail]) + "\n"


def _size(lines: Iterable[str]) -> int:
    return sum(len(line) + 1 for line in lines)


def _head(plan: Plan) -> list[str]:
    title = "### interform plan" + (" (sandbox)" if plan.sandbox else "")
    lines = [title, ""]
    if plan.refused:
        lines += ["> [!CAUTION]", f"> **{REFUSED}:**"]
        lines += [f"> - {_inline(line)}" for line in plan.refused]
        lines.append("")
    return [*lines, f"**{summary_line(plan)}**", ""]


def _inline(text: str) -> str:
    """Plain text inside Markdown: HTML escaped, and `code` spans kept."""
    return html.escape(text, quote=False)


def _table(plan: Plan) -> list[str]:
    if not plan.changes:
        return []
    used = [
        (key, action) for key, action in COUNTED if any(c.action is action for c in plan.changes)
    ]
    lines = [
        "| target | " + " | ".join(key for key, _ in used) + " |",
        "|---|" + "---:|" * len(used),
    ]
    for target, changes in groupby(
        sorted(plan.changes, key=lambda c: c.target), lambda c: c.target
    ):
        n = counts(list(changes))
        lines.append(f"| `{target}` | " + " | ".join(str(n[key]) for key, _ in used) + " |")
    return [*lines, ""]


def _details(interview: str, changes: list[Change]) -> list[str]:
    style = Style(colour=False)
    body = [line for c in changes for line in [*change_lines(c, style), ""]][:-1]
    fence = _fence(body)
    summary = f"<code>{html.escape(interview)}</code> — {html.escape(_tally(changes))}"
    return [
        "<details>",
        f"<summary>{summary}</summary>",
        "",
        fence + "text",
        *body,
        fence,
        "",
        "</details>",
        "",
    ]


def _tally(changes: list[Change]) -> str:
    n = counts(changes)
    return ", ".join(
        f"{n[key]} blocked" if key == "blocked" else f"{n[key]} to {key}"
        for key, _ in COUNTED
        if n[key]
    )


def _fence(body: Iterable[str]) -> str:
    """A code fence longer than any run of backticks inside it."""
    longest = max((len(run) for line in body for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def _ignored(plan: Plan, collapsed: bool = False) -> list[str]:
    if not plan.ignored:
        return []
    n = sum(len(diffs) for diffs in plan.ignored.values())
    summary = (
        f"Ignored (ignore_changes): {n} difference{'' if n == 1 else 's'} between the objects "
        "now and their definitions, left as they are"
    )
    if collapsed:
        return [f"_{summary}._", ""]
    body = ignored_diffs(plan, Style(colour=False))
    fence = _fence(body)
    details = ["<details>", f"<summary>{summary}</summary>", "", fence + "text", *body, fence]
    return [*details, "", "</details>", ""]


def _warnings(plan: Plan) -> list[str]:
    if not plan.warnings:
        return []
    return ["**Warnings**", "", *[f"- {html.escape(w)}" for w in plan.warnings], ""]


def as_markdown(plan: Plan, out: Output) -> str:
    """`FORMATS["markdown"]`."""
    where = f"the whole plan: {out.full_plan}" if out.full_plan else WHERE_IN_FULL
    return render_markdown(plan, out.limit, where)
