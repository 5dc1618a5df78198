"""`plan --markdown`: a pull-request comment.

A summary table per target, then one collapsible section per interview holding the same
diff the terminal shows. GitHub refuses comments over 65,536 characters, so a plan that
would exceed `LIMIT` is shortened to counts and addresses, saying how to see it whole.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from itertools import groupby

from interform.plan.model import Change, Plan
from interform.render.common import COUNTED, REFUSED, counts, summary_line
from interform.render.style import Style
from interform.render.text import change_lines, ignored_diffs

LIMIT = 60_000
FULL_PLAN_HINT = (
    "run `interform plan` (or `interform show PLANFILE` for a saved plan) to see every change"
)


def render_markdown(plan: Plan, limit: int = LIMIT) -> str:
    sections = [*_head(plan), *_table(plan), *_details(plan), *_ignored(plan), *_warnings(plan)]
    full = "\n".join(sections) + "\n"
    if len(full) <= limit:
        return full
    return _compact(plan, len(full), limit)


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


def _details(plan: Plan) -> list[str]:
    lines: list[str] = []
    style = Style(colour=False)
    by_interview = sorted(plan.changes, key=lambda c: c.interview)
    for interview, group in groupby(by_interview, key=lambda c: c.interview):
        changes = list(group)
        body = [line for c in changes for line in [*change_lines(c, style), ""]][:-1]
        fence = _fence(body)
        tally = _tally(changes)
        lines += [
            "<details>",
            f"<summary><code>{html.escape(interview)}</code> — {html.escape(tally)}</summary>",
            "",
            fence + "text",
            *body,
            fence,
            "",
            "</details>",
            "",
        ]
    return lines


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


def _ignored(plan: Plan) -> list[str]:
    if not plan.ignored:
        return []
    body = ignored_diffs(plan, Style(colour=False))
    fence = _fence(body)
    n = sum(len(diffs) for diffs in plan.ignored.values())
    summary = (
        f"Ignored (ignore_changes): {n} difference{'' if n == 1 else 's'} between the objects "
        "now and their definitions, left as they are"
    )
    details = ["<details>", f"<summary>{summary}</summary>", "", fence + "text", *body, fence]
    return [*details, "", "</details>", ""]


def _warnings(plan: Plan) -> list[str]:
    if not plan.warnings:
        return []
    return ["**Warnings**", "", *[f"- {html.escape(w)}" for w in plan.warnings], ""]


def _compact(plan: Plan, full_size: int, limit: int) -> str:
    note = (
        f"> The full plan ({full_size:,} characters) is too long for a comment, so only "
        f"addresses are listed here: {FULL_PLAN_HINT}."
    )
    lines = [*_head(plan), *_table(plan), note, ""]
    tail = _warnings(plan)
    size = sum(len(line) + 1 for line in [*lines, *tail])
    for key, action in COUNTED:
        addresses = [c.address for c in plan.changes if c.action is action]
        if not addresses:
            continue
        lines += [f"**{key}** ({len(addresses)})", ""]
        size += len(lines[-2]) + 2
        for index, address in enumerate(addresses):
            item = f"- `{address}`"
            if size + len(item) + 1 > limit - 200:  # room for the "and N more" lines
                lines.append(f"- … and {len(addresses) - index} more")
                size += len(lines[-1]) + 1
                break
            lines.append(item)
            size += len(item) + 1
        lines.append("")
        size += 1
    return "\n".join([*lines, *tail]) + "\n"
