"""`interform plan` and `interform show`. Only click at import time: everything else
loads when the command runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from interform.commands.options import run_timeout_option
from interform.errors import ExitCode
from interform.output import COMMENT_LIMIT, FORMATS, Output

if TYPE_CHECKING:
    from interform.plan.model import Plan
    from interform.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


def _output(
    ctx: click.Context, fmt: str | None, as_json: bool, markdown: bool, **markdown_options: Any
) -> Output:
    if as_json and markdown:
        raise click.UsageError("choose one of --json and --markdown")
    alias = "json" if as_json else "markdown" if markdown else None
    if fmt is not None and alias is not None and alias != fmt:
        raise click.UsageError(f"--{alias} means --format {alias}: choose one format")
    chosen = fmt or alias or "text"
    return Output(chosen, bool(getattr(ctx.obj, "color", False)), **markdown_options)


def emit(plan: Plan, out: Output) -> None:
    """The rendered plan alone on stdout, every line scrubbed of secrets."""
    from interform.output import formatted
    from interform.secrets import scrub

    click.echo(scrub(formatted(plan, out)), nl=False)


def refuse_owned(ws: Workspace, out: Path) -> None:
    """`--out` may not overwrite interform.yaml, the lockfile or a definition."""
    import os

    from interform.errors import UserError
    from interform.paths import OwnedFiles

    owned = OwnedFiles.of(ws.root, ws.project.lockfile, ws.project.interviews)
    claim = owned.claim(Path(os.path.realpath(out)), state_dir=False)
    if claim is not None:
        raise UserError(f"--out {out} {claim}", fix="save the plan to a file of its own")


def _format_options(func: F) -> F:
    func = click.option("--json", "as_json", is_flag=True, help="Same as --format json.")(func)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(tuple(FORMATS)),
        help="text (default), json (machine-readable, documented, versioned) or markdown "
        "(a pull-request comment).",
    )(func)


def _markdown_options(func: F) -> F:
    func = click.option(
        "--full-plan-at",
        "full_plan",
        metavar="WHERE",
        envvar="INTERFORM_FULL_PLAN_AT",
        help="Markdown: where the whole plan is when the comment is shortened (a URL such as "
        "the CI job summary's; also INTERFORM_FULL_PLAN_AT).",
    )(func)
    func = click.option(
        "--limit",
        type=click.IntRange(0),
        default=COMMENT_LIMIT,
        show_default=True,
        metavar="CHARS",
        help="Markdown: shorten to this many characters (GitHub comments hold 65,536; "
        "0: never shorten, e.g. for a job summary).",
    )(func)
    return click.option("--markdown", is_flag=True, help="Same as --format markdown.")(func)


# Terraform's spelling (`-replace=ADDRESS`) and the usual one (`--replace ADDRESS`)
replace_option = click.option(
    "-replace",
    "--replace",
    "replace",
    multiple=True,
    metavar="ADDRESS",
    help="Replace this tracked object (create it anew, then remove the old one) even if "
    "nothing changed. Repeatable.",
)


@click.command()
@_format_options
@_markdown_options
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the plan to FILE, for `interform apply FILE`.",
)
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 0 without changes, 2 with changes, 1 on error."
)
@click.option("--target", "targets", multiple=True, metavar="GLOB", help="Plan only these.")
@click.option("--exclude", "excludes", multiple=True, metavar="GLOB", help="Leave these out.")
@click.option("--force", is_flag=True, help="Allow a plan over the safety thresholds.")
@replace_option
@click.option("--sandbox", is_flag=True, help="Plan against the local emulators.")
@click.option("--refresh", is_flag=True, help="Read the remote objects back to detect drift.")
@run_timeout_option
@click.pass_context
def plan(
    ctx: click.Context,
    fmt: str | None,
    as_json: bool,
    markdown: bool,
    limit: int,
    full_plan: str | None,
    out: Path | None,
    detailed_exitcode: bool,
    targets: tuple[str, ...],
    excludes: tuple[str, ...],
    force: bool,
    replace: tuple[str, ...],
    sandbox: bool,
    refresh: bool,
) -> None:
    """Show what apply would change on the platforms."""
    from interform.errors import PlanRefused
    from interform.gc_tuning import fewer_gc_pauses
    from interform.workspace import build_plan, open_workspace, sandbox_requested

    output = _output(ctx, fmt, as_json, markdown, limit=limit, full_plan=full_plan)
    fewer_gc_pauses()
    ws = open_workspace(sandbox=sandbox_requested(sandbox))
    reader = None
    if refresh:
        from interform.apply.remote import reader_for

        reader = reader_for(ws)
    try:
        result = build_plan(
            ws, select=targets, exclude=excludes, force=force, reader=reader, replace=replace
        )
    except PlanRefused as refused:
        # the whole plan on stdout (the pull request's comment shows what was refused),
        # the refusal on stderr, exit 1; a refused plan is never saved
        emit(refused.plan, output)
        raise
    if out is not None:
        from interform.plan.saved import save_plan
        from interform.plan.signing import signing_key

        refuse_owned(ws, out)
        save_plan(out, result, ws.lock, signing_key(ws.root))
        from interform import hints

        apply = hints.command("apply", str(out))
        click.echo(f"Saved the plan to {out}; apply it with `{apply}`.", err=True)
    emit(result, output)
    if detailed_exitcode and result.has_changes:
        ctx.exit(ExitCode.CHANGES)


@click.command()
@_format_options
@_markdown_options
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_context
def show(
    ctx: click.Context,
    fmt: str | None,
    as_json: bool,
    markdown: bool,
    limit: int,
    full_plan: str | None,
    file: Path,
) -> None:
    """Render a plan saved with `interform plan --out FILE`."""
    from interform.errors import UserError
    from interform.plan.saved import load_saved
    from interform.plan.signing import plan_key
    from interform.project_root import find_root

    output = _output(ctx, fmt, as_json, markdown, limit=limit, full_plan=full_plan)
    try:
        root: Path | None = find_root()
    except UserError:
        root = None  # a plan shown outside its project: only INTERFORM_PLAN_KEY can check it
    emit(load_saved(file, plan_key(root)), output)
