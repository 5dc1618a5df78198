"""The one error model: user errors (exit 1) carry every problem found, one line each.

A `Problem` renders as `file:line:col: what is wrong — how to fix`. Anything that is
not a `UserError` is unexpected and the CLI maps it to exit 3.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interform.plan.model import Plan


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # user error, invalid input, or some changes failed to apply
    CHANGES = 2  # `plan --detailed-exitcode`: changes are present
    UNEXPECTED = 3  # a bug or an environment failure; details with --debug
    NEEDS_APPROVAL = 4  # apply needs confirmation but stdin is not a terminal
    INTERRUPTED = 130  # SIGINT
    TERMINATED = 143  # SIGTERM


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the user's input, pinned to a place when one is known.

    `line` and `col` are 1-based; 0 means "no position" (a whole-file or global problem).
    """

    path: str
    line: int
    col: int
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} — {self.fix}" if self.fix else text


class UserError(Exception):
    """Bad input or a refused operation. Carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem] | str, fix: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem("", 0, 0, problems, fix)]
        self.problems: list[Problem] = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class PlanRefused(UserError):
    """A plan the safety rails (or a platform's request schema) refuse. It carries the
    plan, which is still shown whole: the review must see what was refused."""

    def __init__(self, problems: Iterable[Problem], plan: Plan) -> None:
        super().__init__(problems)
        self.plan = plan


class ApprovalRequired(UserError):
    """apply was asked to confirm but there is nobody to ask (no TTY, no --auto-approve)."""


def problem(path: str, message: str, fix: str = "", line: int = 0, col: int = 0) -> Problem:
    return Problem(path, line, col, message, fix)


def shown(value: str, limit: int = 60) -> str:
    """`value` quoted for a message, cut short: a value from a hostile file or server may
    be megabytes long, and a message is one line."""
    if len(value) <= limit:
        return repr(value)
    return repr(value[:limit]) + f"… ({len(value):,} characters)"
