"""What validate checks in a definition deployed to the toy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from interform.config.issues import Issue
from interform.config.rules import Rule, RuleContext

MAX_TITLE: Final = 40


def toy_title_short(ctx: RuleContext) -> Iterator[Issue]:
    if ctx.targeted("toy") and len(ctx.definition.title) > MAX_TITLE:
        yield Issue(
            ("title",),
            f"{ctx.on('toy')} takes titles of at most {MAX_TITLE} characters",
            "shorten the title",
        )


RULES: Final[tuple[Rule, ...]] = (toy_title_short,)
