"""Options several commands share. Only click at import time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def _start_run(ctx: click.Context, param: click.Parameter, value: float | None) -> None:
    from interform.waiting import start_run

    start_run(value)


def run_timeout_option(func: F) -> F:
    """`--timeout SECONDS`: the whole run ends by then. Requests in flight are cut at it,
    nothing more is sent or waited for, and apply stops starting changes (exit 1; what
    was sent is recorded, as after Ctrl-C)."""
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=None,
        metavar="SECONDS",
        expose_value=False,
        callback=_start_run,
        help="Give up on the platforms after this many seconds in all (default: no limit).",
    )(func)
