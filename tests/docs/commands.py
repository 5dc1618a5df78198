"""Find the `interform ...` command lines in documentation and check each against the
real click command tree: the command exists and every option is one it accepts, with a
value where it takes one. No command runs: click only parses the words."""

from __future__ import annotations

import re
import shlex
import warnings
from collections.abc import Iterator

import click

from interform.cli import main

FENCE = re.compile(r"^```(sh|console|bash|shell)\n(.*?)^```", re.M | re.S)
SEPARATORS = frozenset(";&|")  # tokens made only of these end a command
# shell words that may come before a command (`if [ ... ]; then interform refresh; fi`)
KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!"})
REDIRECT = re.compile(r"^\d?[<>]{1,2}(&\d)?")


def shell_lines(markdown: str) -> Iterator[str]:
    """Command lines of ```sh/```console blocks (console: only the `$ ` prompts)."""
    for fence in FENCE.finditer(markdown):
        console = fence.group(1) == "console"
        for raw in fence.group(2).splitlines():
            line = raw.strip()
            if console:
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            if line and not line.startswith("#"):
                yield line


def interform_invocations(line: str) -> Iterator[list[str]]:
    """The word lists of every `interform` command in a shell line (after `&&`, `|`...),
    without redirections and trailing comments."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    words: list[str] = []
    for token in [*lexer, ";"]:
        if token and set(token) <= SEPARATORS:
            if words and words[0] == "interform":
                yield _strip_redirects(words)
            words = []
        elif words or token not in KEYWORDS:
            words.append(token)


def _strip_redirects(words: list[str]) -> list[str]:
    kept, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif REDIRECT.match(word):
            skip = REDIRECT.fullmatch(word) is not None  # `> file`: the target follows
        else:
            kept.append(word)
    return kept


def _protected_args(ctx: click.Context) -> list[str]:
    """The subcommand name click holds back (click < 9; from 9 on it stays in `args`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return list(getattr(ctx, "protected_args", []))


def check_invocation(words: list[str]) -> str | None:
    """None when the click tree accepts `words` (starting with "interform"), else why not."""
    args = words[1:]
    try:
        ctx = main.make_context("interform", args, resilient_parsing=False)
        command: click.Command = main
        while isinstance(command, click.Group):
            rest = [*_protected_args(ctx), *ctx.args]
            if not rest:
                return None  # `interform` or `interform state` alone: shows help
            name, sub, rest = command.resolve_command(ctx, rest)
            if sub is None:
                return f"No such command {name!r}."
            ctx = sub.make_context(name or "", rest, parent=ctx, resilient_parsing=False)
            command = sub
    except click.exceptions.Exit:
        return None  # --help, --version
    except click.ClickException as err:
        return err.format_message()
    return None
