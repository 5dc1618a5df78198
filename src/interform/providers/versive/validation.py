"""What `interform validate` checks in a definition deployed to Versive, beyond its
schema (limits stated only in prose, either-or fields). Each rule yields `Issue`s; the
registry adds `RULES` to the core rules of `interform.config.rules`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from interform.config.issues import Issue
from interform.config.rules import Rule, RuleContext
from interform.model.definition import section


def versive_participant_names_unique(ctx: RuleContext) -> Iterator[Issue]:
    if not ctx.targeted("versive"):
        return
    seen: set[str] = set()
    for i, participant in enumerate(section(ctx.definition, "versive").participants):
        if participant.name in seen:
            yield Issue(
                ("versive", "participants", i, "name"),
                f'participant name "{participant.name}" is used twice',
                "give each participant its own name (it is part of the link's address)",
            )
        seen.add(participant.name)


def versive_study(ctx: RuleContext) -> Iterator[Issue]:
    if not ctx.targeted("versive"):
        return
    settings = section(ctx.definition, "versive")
    if settings.study_id is not None and settings.study is not None:
        yield Issue(
            ("versive", "study_id"),
            "versive sets both study_id and study",
            "keep study_id to use an existing study, or study: for one interform manages",
        )
    elif settings.study_id is None and settings.study is None:
        what = "its participants need" if settings.participants else "it needs"
        yield Issue(
            ("versive",),
            f"{ctx.on('versive')}: {what} a study",
            "add versive.study_id (an existing study) or a versive.study: block",
            at_key=True,
        )


RULES: Final[tuple[Rule, ...]] = (
    versive_participant_names_unique,
    versive_study,
)
