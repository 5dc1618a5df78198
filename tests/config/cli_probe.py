"""interform's real global options and error mapping (the `main` group's callback and
`LazyGroup`) in front of three stand-in commands, so the shell can be tested on its own:
`probe` prints what the global options decided, `boom` fails unexpectedly with a
registered credential in its message, `mistake` raises a user error.

Run as a script (`python cli_probe.py ...`) to get a real process and terminal."""

from __future__ import annotations

import click

from interform import secrets
from interform.cli import AppContext, LazyGroup, main
from interform.errors import Problem, UserError

SECRET = "sk-live-0123456789abcdef"


@click.command()
@click.pass_obj
def probe(app: AppContext) -> None:
    click.echo(f"color={app.color} debug={app.debug}")


@click.command()
def boom() -> None:
    secrets.register(SECRET)
    raise RuntimeError(f"the platform closed the connection (key {SECRET})")


@click.command()
def mistake() -> None:
    raise UserError(
        [
            Problem("b.yaml", 2, 1, "second problem", "fix it"),
            Problem("a.yaml", 1, 3, "first problem", "fix that"),
        ]
    )


PROBES: dict[str, click.Command] = {"probe": probe, "boom": boom, "mistake": mistake}


class ProbeGroup(LazyGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(PROBES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return PROBES.get(cmd_name)


shell = ProbeGroup(name="interform", callback=main.callback, params=main.params)

if __name__ == "__main__":
    shell()
