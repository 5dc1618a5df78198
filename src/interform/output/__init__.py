"""How a plan is printed: human text (`text`), versioned JSON (`jsonout`), pull-request
comments (`markdown`). A format is one entry of `FORMATS`; `interform plan --format NAME`
picks it (`--json` and `--markdown` are aliases)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from interform.plan.model import Plan

# GitHub's 65,536-character comment limit, less room for the sticky-comment marker the
# CI step prepends and a margin (here, not in `markdown`, so the CLI reads it cheaply)
COMMENT_LIMIT = 60_000


@dataclass(frozen=True)
class Output:
    """How a plan is printed: the format, colour for text, and for Markdown its size
    limit and where the whole plan is when the comment is shortened."""

    fmt: str  # a key of FORMATS
    colour: bool = False
    limit: int = COMMENT_LIMIT
    full_plan: str | None = None


class Format(Protocol):
    def __call__(self, plan: Plan, out: Output) -> str: ...


# format name -> "module:function" taking (plan, Output), imported when used
FORMATS: Final[dict[str, str]] = {
    "text": "interform.output.text:as_text",
    "json": "interform.output.jsonout:as_json",
    "markdown": "interform.output.markdown:as_markdown",
}


def formatted(plan: Plan, out: Output) -> str:
    """The plan in `out.fmt`."""
    module_name, _, attribute = FORMATS[out.fmt].partition(":")
    render: Format = getattr(importlib.import_module(module_name), attribute)
    return render(plan, out)
