"""`interform --help` lists the commands from `cli.SUMMARIES` without importing them:
the list must read exactly as click would print it from the commands themselves."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from interform.cli import COMMANDS, SUMMARIES, main


def _command(name: str) -> click.Command:
    module, _, attr = COMMANDS[name].partition(":")
    command: click.Command = getattr(importlib.import_module(module), attr)
    return command


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_summary_shortens_as_the_command_s_own_help(name: str) -> None:
    command, stub = _command(name), click.Command(name, help=SUMMARIES[name])
    assert not command.hidden and command.short_help is None
    for limit in range(10, 240, 3):
        assert stub.get_short_help_str(limit) == command.get_short_help_str(limit), limit


def test_every_command_has_a_summary_and_the_listing_matches_click_s() -> None:
    assert sorted(SUMMARIES) == sorted(COMMANDS)
    listed = CliRunner().invoke(main, ["--help"], terminal_width=100).output
    plain = click.Group("interform", commands={n: _command(n) for n in COMMANDS})
    with click.Context(plain, terminal_width=100) as ctx:
        formatter = ctx.make_formatter()
        plain.format_commands(ctx, formatter)
    assert formatter.getvalue() in listed


def test_help_imports_no_command_module() -> None:
    probe = (
        "import sys; from interform.cli import main\n"
        "try: main(['--help'])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('interform.commands')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
