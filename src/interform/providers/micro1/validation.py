"""What `interform validate` checks in a definition deployed to micro1, beyond its
schema (limits stated only in prose, either-or fields). Each rule yields `Issue`s; the
registry adds `RULES` to the core rules of `interform.config.rules`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from interform.config.issues import Issue
from interform.config.rules import Rule, RuleContext

MICRO1_MAX_SKILLS: Final = 10


MICRO1_MAX_QUESTIONS: Final = 20


MICRO1_ANSWER_TIME: Final = (60, 240)


def micro1_limits(ctx: RuleContext) -> Iterator[Issue]:
    if not ctx.targeted("micro1"):
        return
    defn, on = ctx.definition, ctx.on("micro1")
    if len(defn.skills) > MICRO1_MAX_SKILLS:
        yield Issue(
            ("skills", MICRO1_MAX_SKILLS),
            f"{len(defn.skills)} skills; {on} allows at most {MICRO1_MAX_SKILLS}",
            f"keep the {MICRO1_MAX_SKILLS} that matter most",
        )
    if len(defn.questions) > MICRO1_MAX_QUESTIONS:
        yield Issue(
            ("questions", MICRO1_MAX_QUESTIONS),
            f"{len(defn.questions)} questions; {on} allows at most {MICRO1_MAX_QUESTIONS}",
            "split the interview or drop questions",
        )
    low, high = MICRO1_ANSWER_TIME
    for i, question in enumerate(defn.questions):
        seconds = question.answer_time
        if seconds is not None and not low <= seconds <= high:
            yield Issue(
                ("questions", i, "answer_time"),
                f"answer_time is {seconds}s; {on} allows 1 to 4 minutes",
                f"use {low} to {high} seconds (1m to 4m)",
            )


RULES: Final[tuple[Rule, ...]] = (micro1_limits,)
