"""Field-level diffs of two request bodies, decided by the kind's per-field policy."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from interform.plan.model import FieldDiff, QuestionChange
from interform.plan.questions import diff_questions
from interform.plan.values import same
from interform.providers.base import KindSpec, Policy


def policy(spec: KindSpec, name: str) -> Policy:
    # an ignored field stays ignored even on kinds that cannot be updated at all
    if spec.fields.get(name) is Policy.IGNORE:
        return Policy.IGNORE
    return spec.policy(name)


def diff_bodies(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    spec: KindSpec,
    drifted: Collection[str] = (),
) -> tuple[list[FieldDiff], list[QuestionChange]]:
    """Changed top-level fields (sorted by name) and, for the questions field, the
    question-level changes."""
    fields: list[FieldDiff] = []
    questions: list[QuestionChange] = []
    for name in sorted(set(before) | set(after)):
        rule = policy(spec, name)
        old, new = before.get(name), after.get(name)
        if rule is Policy.IGNORE or same(old, new):
            continue
        cleared = new is None and old is not None and name in spec.uncleared
        fields.append(FieldDiff(name, old, new, rule is Policy.REPLACE or cleared, name in drifted))
        if name == spec.questions_field:
            questions = diff_questions(old, new, spec)
    return fields, questions


def drifted_state(
    recorded: Mapping[str, Any], remote: Mapping[str, Any], spec: KindSpec
) -> tuple[dict[str, Any], set[str]]:
    """The object as it is now: the recorded request with every field the platform reports
    differently. Fields the read-back leaves out (write-only values) are not compared."""
    current = dict(recorded)
    drifted: set[str] = set()
    for name, value in remote.items():
        if policy(spec, name) is Policy.IGNORE or recorded.get(name) == value:
            continue
        current[name] = value
        drifted.add(name)
    return current, drifted
