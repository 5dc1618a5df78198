"""`interform apply` and `interform destroy`. Only click at import time: the engine
(`interform.apply`) loads when a command runs."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from interform.commands.options import run_timeout_option
from interform.commands.planning import replace_option
from interform.errors import ApprovalRequired, ExitCode

_common = [
    click.option("--auto-approve", is_flag=True, help="Skip the confirmation prompt."),
    click.option("--sandbox", is_flag=True, help="Apply against the local emulators."),
    click.option(
        "--parallelism",
        type=click.IntRange(1, 256),
        default=8,
        show_default=True,
        help="Most changes in flight at once (each target also keeps its own limits).",
    ),
    click.option(
        "--lock-timeout",
        type=click.FloatRange(0),
        default=0.0,
        metavar="SECONDS",
        help="Wait this long for another apply to release the lock (default: fail at once).",
    ),
    click.option("--target", "targets", multiple=True, metavar="GLOB", help="Only these."),
    click.option("--exclude", "excludes", multiple=True, metavar="GLOB", help="Leave these out."),
    click.option("--force", is_flag=True, help="Allow a plan over the safety thresholds."),
]


def _options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_common):
        func = option(func)
    return run_timeout_option(func)


@click.command()
# any path: what is there is judged when it is read (a directory: one line, exit 1)
@click.argument("planfile", required=False, type=click.Path(path_type=Path))
@_options
@click.option("--refresh", is_flag=True, help="Read the remote objects back before planning.")
@replace_option
@click.pass_context
def apply(
    ctx: click.Context,
    /,
    planfile: Path | None,
    refresh: bool,
    replace: tuple[str, ...],
    **options: Any,
) -> None:
    """Make the platforms match the definitions (or carry out a saved plan)."""
    if planfile is not None and replace:
        raise click.UsageError("-replace is part of the plan: pass it to `interform plan --out`")
    _run(ctx, planfile=planfile, refresh=refresh, destroy=False, replace=replace, **options)


@click.command()
@_options
@click.pass_context
def destroy(ctx: click.Context, /, **options: Any) -> None:
    """Remove everything interform manages here (protected objects are refused)."""
    _run(ctx, planfile=None, refresh=False, destroy=True, replace=(), **options)


def _run(
    ctx: click.Context,
    *,
    planfile: Path | None,
    refresh: bool,
    destroy: bool,
    replace: tuple[str, ...],
    auto_approve: bool,
    sandbox: bool,
    parallelism: int,
    lock_timeout: float,
    targets: tuple[str, ...],
    excludes: tuple[str, ...],
    force: bool,
) -> None:
    from interform.apply.console import Console
    from interform.apply.run import ApplyRequest, run_apply
    from interform.gc_tuning import fewer_gc_pauses
    from interform.secrets import scrub
    from interform.workspace import sandbox_requested

    fewer_gc_pauses()
    request = ApplyRequest(
        plan_file=planfile,
        auto_approve=auto_approve,
        sandbox=sandbox_requested(sandbox),
        parallelism=parallelism,
        lock_timeout=lock_timeout,
        select=targets,
        exclude=excludes,
        force=force,
        refresh=refresh,
        destroy=destroy,
        replace=replace,
        colour=bool(getattr(ctx.obj, "color", False)),
        confirm=_ask(destroy) if sys.stdin.isatty() else None,
    )
    try:
        code = run_apply(request, Console())
    except ApprovalRequired as err:
        for line in err.lines():
            click.echo(scrub(line), err=True)
        ctx.exit(ExitCode.NEEDS_APPROVAL)
    ctx.exit(code)


def _ask(destroy: bool) -> Callable[[], bool]:
    def confirm() -> bool:
        verb = "destroy everything listed" if destroy else "apply these changes"
        answer = click.prompt(f"Do you want to {verb}? Only 'yes' is accepted", default="")
        return bool(answer.strip() == "yes")

    return confirm
