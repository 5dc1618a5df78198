"""The command line: a thin click layer and the one place that maps errors to exit codes.

Commands live in `interform.commands.*` and are imported only when run (or listed by
--help), so `interform --version` stays fast. Command modules import heavy libraries
(pydantic, httpx, jsonschema) inside their functions.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import click

from interform import __version__
from interform.errors import ExitCode, UserError

# command name -> "module:attribute"
COMMANDS: dict[str, str] = {
    "init": "interform.commands.definitions:init",
    "validate": "interform.commands.definitions:validate",
    "fmt": "interform.commands.definitions:fmt",
    "schema": "interform.commands.definitions:schema",
    "plan": "interform.commands.planning:plan",
    "show": "interform.commands.planning:show",
    "apply": "interform.commands.applying:apply",
    "destroy": "interform.commands.applying:destroy",
    "refresh": "interform.commands.state:refresh",
    "import": "interform.commands.state:import_",
    "state": "interform.commands.state:state",
    "output": "interform.commands.state:output",
    "force-unlock": "interform.commands.state:force_unlock",
    "embed-key": "interform.commands.state:embed_key",
    "lockfile": "interform.commands.lockfile:lockfile",
    "sandbox": "interform.commands.sandbox:sandbox",
}


# command name -> its docstring's first sentence: `--help` lists the commands from here
# instead of importing every command module (tests/config/test_cli_help.py keeps them equal)
SUMMARIES: dict[str, str] = {
    "init": "Create a project in the current directory, or add to the one there what it "
    "needs in git and CI.",
    "validate": "Check interform.yaml and the definitions (or only PATHS) and report every "
    "problem.",
    "fmt": "Rewrite interform.yaml and the definitions (or only PATHS) in the canonical layout.",
    "schema": "Regenerate schemas/*.json from the models (and copy the provider schemas).",
    "plan": "Show what apply would change on the platforms.",
    "show": "Render a plan saved with `interform plan --out FILE`.",
    "apply": "Make the platforms match the definitions (or carry out a saved plan).",
    "destroy": "Remove everything interform manages here (protected objects are refused).",
    "refresh": "Compare the platforms with the lockfile: report drift and objects deleted "
    "outside interform, settle interrupted creates, and record objects an interrupted apply "
    "made but never recorded (found by their ownership marker).",
    "import": "Track an object that already exists on its platform as ADDRESS.",
    "state": "Inspect and change the lockfile without touching the platforms.",
    "output": "Invite and participant links and remote ids of what interform manages.",
    "force-unlock": "Break the apply lock LOCK_ID left by a crashed or killed run.",
    "embed-key": "Fetch the embed signing key of a JobMojito interview again.",
    "lockfile": "Merge lockfiles that two branches changed, and set git up to do it.",
    "sandbox": "Local emulators of every platform: no accounts needed.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click lists them, from `SUMMARIES`: importing the command modules would
        cost `interform --help` a third of its start-up."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(n, click.Command(n, help=SUMMARIES[n]).get_short_help_str(limit)) for n in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attr = target.partition(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with usage_errors_exit_1():
            return super().parse_args(ctx, args)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            accept_global_options(command)
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        with _terminating_on_sigterm():
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            with usage_errors_exit_1():
                return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except UserError as err:
            report_user_error(err)
            ctx.exit(ExitCode.ERROR)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(ExitCode.INTERRUPTED)
        except Terminated:
            click.echo("terminated", err=True)
            ctx.exit(ExitCode.TERMINATED)
        except BrokenPipeError:
            report_closed_output()
            ctx.exit(ExitCode.ERROR)
        except Exception as err:
            report_unexpected(err, ctx.obj.debug if isinstance(ctx.obj, AppContext) else False)
            ctx.exit(ExitCode.UNEXPECTED)


class Terminated(BaseException):
    """SIGTERM, raised like Ctrl-C's KeyboardInterrupt so that the command unwinds: the
    apply lock is released and files are closed before exit 143 (apply's own handler
    takes over while changes are being made)."""


@contextlib.contextmanager
def _terminating_on_sigterm() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def report_user_error(err: UserError) -> None:
    from interform.secrets import scrub

    for line in err.lines():
        click.echo(scrub(line), err=True)


def report_closed_output() -> None:
    """stdout was closed under us (`interform plan | head -1`): say so on stderr, once,
    and let nothing more (nor the flush at exit) write to the closed pipe."""
    from interform.apply.console import stop_writing

    stop_writing(sys.stdout)
    with contextlib.suppress(OSError):
        click.echo("interform: stdout was closed: output stopped", err=True)


def report_unexpected(err: BaseException, debug: bool) -> None:
    from interform.secrets import scrub

    if debug:
        import traceback

        click.echo(scrub("".join(traceback.format_exception(err))), err=True)
    message = scrub(f"{type(err).__name__}: {err}")
    click.echo(f"interform: unexpected error: {message}", err=True)
    if not debug:
        click.echo("run again with --debug for the full traceback", err=True)


@contextmanager
def usage_errors_exit_1() -> Iterator[None]:
    """Usage errors (unknown option, missing argument) exit 1, as Terraform's do: click's
    own 2 is `plan --detailed-exitcode`'s "changes present", which CI gates on."""
    try:
        yield
    except click.UsageError as err:
        err.exit_code = ExitCode.ERROR  # type: ignore[misc]  # click reads it off the instance
        raise


class AppContext:
    """Global options, shared by every command through click's context object."""

    def __init__(self, debug: bool = False, color: bool = False, chdir: str | None = None) -> None:
        self.debug = debug
        self.color = color
        self.chdir = chdir  # -C DIR as given: hints repeat it (`interform.hints`)


def _app(ctx: click.Context) -> AppContext:
    return ctx.ensure_object(AppContext)


def change_dir(directory: str) -> None:
    try:
        os.chdir(directory)
    except OSError as err:
        raise click.UsageError(f"cannot change to {directory}: {err.strerror}") from err
    from interform import hints

    hints.invoked_in(directory)


def _late_chdir(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        change_dir(value)
        _app(ctx).chdir = value


def _late_no_color(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        _app(ctx).color = False


def _late_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not _app(ctx).debug:
        _app(ctx).debug = True
        from interform.logs import setup_debug_logging

        setup_debug_logging()


_CHDIR_HELP = "Run as if started in DIR."
_NO_COLOR_HELP = "Plain output (also NO_COLOR=1)."
_DEBUG_HELP = "Log HTTP calls and show tracebacks."


def _late_options() -> list[click.Option]:
    """The global options once more, for after the subcommand (`interform plan
    --no-color`): hidden, so each command's --help lists only its own."""
    hidden: dict[str, Any] = {"hidden": True, "expose_value": False, "is_eager": True}
    return [
        click.Option(
            ["-C", "--chdir", "global_chdir"],
            type=click.Path(file_okay=False),
            callback=_late_chdir,
            help=_CHDIR_HELP,
            **hidden,
        ),
        click.Option(
            ["--no-color", "global_no_color"],
            is_flag=True,
            callback=_late_no_color,
            help=_NO_COLOR_HELP,
            **hidden,
        ),
        click.Option(
            ["--debug", "global_debug"],
            is_flag=True,
            callback=_late_debug,
            help=_DEBUG_HELP,
            **hidden,
        ),
    ]


def accept_global_options(command: click.Command) -> None:
    """Let `command` (and, for a group, its subcommands) take the global options too."""
    if not any(p.name == "global_chdir" for p in command.params):
        command.params.extend(_late_options())
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            accept_global_options(sub)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "--chdir", type=click.Path(file_okay=False), help=_CHDIR_HELP)
@click.option("--no-color", is_flag=True, help=_NO_COLOR_HELP)
@click.option("--debug", is_flag=True, help=_DEBUG_HELP)
@click.version_option(__version__, "--version", prog_name="interform")
@click.pass_context
def main(ctx: click.Context, chdir: str | None, no_color: bool, debug: bool) -> None:
    """Interviews as code: plan and apply AI-interview definitions kept in git."""
    from interform import hints

    hints.reset()
    ctx.call_on_close(hints.reset)  # what this run recorded ends with it
    if chdir:
        change_dir(chdir)
    color = not no_color and not os.environ.get("NO_COLOR") and sys.stdout.isatty()
    ctx.obj = AppContext(debug=debug, color=color, chdir=chdir)
    from interform.logs import setup_logging
    from interform.waiting import start_run

    start_run(None)  # a command with --timeout sets its own

    setup_logging(debug)
