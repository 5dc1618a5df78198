"""Safety rails: protected objects, and thresholds on removals and replacements.

`protect: true` is recorded in the lockfile, so it keeps holding after the YAML that
set it is deleted. Thresholds (interform.yaml `safety:`) stop a plan that would remove
or replace more than a team expects — a mistyped glob, a deleted directory — unless the
user says `--force`. Protection is never overridden by `--force`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from interform.errors import PlanRefused, Problem
from interform.model.project import Safety
from interform.plan.model import REMOVALS, Action, Change, Plan
from interform.providers.base import YamlPath

# (file relative to the project root, YAML path) -> (line, col), 0 when unknown
Locate = Callable[[str, YamlPath], tuple[int, int]]
PROJECT_FILE = "interform.yaml"


def refuse_unsafe(
    plan: Plan,
    safety: Safety,
    managed: int,
    *,
    force: bool,
    locate: Locate | None = None,
    more: Sequence[Problem] = (),
) -> None:
    """Raise one PlanRefused listing every protected object touched, unless `force` every
    threshold exceeded, and the `more` problems found elsewhere (rejected requests). The
    plan it carries says why it is refused, and names the likely renames."""
    problems = [*more, *protect_problems(plan, locate)]
    if not force:
        problems += threshold_problems(plan, safety, managed, locate)
    if problems:
        problems += rename_problems(plan, locate)
        refusal = PlanRefused(problems, plan)
        plan.refused = refusal.lines()
        raise refusal


def rename_problems(plan: Plan, locate: Locate | None = None) -> list[Problem]:
    """Each likely rename (`plan.renames`) with the line that makes it a move."""
    problems = []
    for rename in plan.renames:
        line, col = locate(rename.source, ("title",)) if locate else (0, 0)
        message = (
            f"{rename.new} looks like {rename.old} renamed: its objects would be removed and "
            "created again (new links, results left behind)"
        )
        fix = f"if it was renamed, add the line `{rename.line}` to {rename.source}"
        problems.append(Problem(rename.source, line, col, message, fix))
    return problems


def protect_problems(plan: Plan, locate: Locate | None = None) -> list[Problem]:
    problems = []
    for change in plan.changes:
        if not _protected(change):
            continue
        source = _source(change)
        line, col = locate(source, ("protect",)) if locate and source else (0, 0)
        verb = "replaced" if change.action is Action.REPLACE else "removed"
        problems.append(
            Problem(
                source or PROJECT_FILE,
                line,
                col,
                f"{change.address} is protected and would be {verb} ({change.reason})",
                f"set `protect: false` in {source or 'its definition'} and apply that first "
                "(if the file was deleted, restore it with `protect: false`, apply, "
                "then delete it)",
            )
        )
    return problems


def _protected(change: Change) -> bool:
    if change.action is not Action.REPLACE and change.action not in REMOVALS:
        return False
    recorded = change.prior is not None and change.prior.protect
    return recorded or (change.desired is not None and change.desired.protect)


def _source(change: Change) -> str:
    if change.desired is not None:
        return change.desired.source
    return change.prior.source or "" if change.prior else ""


def threshold_problems(
    plan: Plan, safety: Safety, managed: int, locate: Locate | None = None
) -> list[Problem]:
    removals = plan.count(*REMOVALS)
    replaces = plan.count(Action.REPLACE)
    checks = [
        ("max_deletes", safety.max_deletes, removals, "remove"),
        ("max_replaces", safety.max_replaces, replaces, "replace"),
    ]
    problems = [
        _over(key, f"the plan would {verb} {n} objects; safety.{key} is {limit}", locate)
        for key, limit, n, verb in checks
        if limit is not None and n > limit
    ]
    percents = [
        ("max_deletes_percent", safety.max_deletes_percent, removals, "remove"),
        ("max_replaces_percent", safety.max_replaces_percent, replaces, "replace"),
    ]
    for key, limit, n, verb in percents:
        share = 100.0 * n / managed if managed else 0.0
        if limit is not None and n and share > limit:
            message = (
                f"the plan would {verb} {n} of {managed} managed objects ({share:.1f}%); "
                f"safety.{key} is {limit:g}%"
            )
            problems.append(_over(key, message, locate))
    return problems


def _over(key: str, message: str, locate: Locate | None) -> Problem:
    line, col = locate(PROJECT_FILE, ("safety", key)) if locate else (0, 0)
    fix = f"review the plan, then run it again with --force (or raise safety.{key})"
    return Problem(PROJECT_FILE, line, col, message, fix)
