"""`interform sandbox serve | show | reset`: the local emulators of the four platforms.

Heavy modules (the emulators pull in jsonschema on first request) load inside the
command bodies, never at import time.
"""

from __future__ import annotations

from pathlib import Path

import click

from interform.errors import UserError
from interform.sandbox import ENV_FAULTS, SANDBOX_DIR, Faults, state_dir

DEFAULT_PORT = 7878
LOCKFILE = "interform.lock"


def _state(option: str | None) -> tuple[Path, Path | None]:
    """(state directory, project root when it is the project's default)."""
    if option:
        return Path(option), None
    from interform.project_root import find_root

    try:
        root = find_root()
    except UserError as err:
        raise UserError(
            "no interform.yaml here or in any parent directory, so there is no default "
            "sandbox state",
            fix="run inside a project, or pass --state-dir DIR",
        ) from err
    return state_dir(root), root


state_option = click.option(
    "--state-dir",
    type=click.Path(file_okay=False),
    help="Where emulated accounts live (default: .interform/sandbox/state of the project).",
)


class PlatformChoice(click.Choice[str]):
    """The registered platforms' names, read when click first needs them (not at
    import: listing commands must not load the registry)."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        from interform.platforms import names

        return names()

    @choices.setter
    def choices(self, _value: object) -> None:
        pass


@click.group()
def sandbox() -> None:
    """Local emulators of every platform: no accounts needed."""


@sandbox.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="TCP port; 0 picks a free one (printed when ready).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; anything but loopback exposes unauthenticated fakes.",
)
@click.option(
    "--faults",
    "fault_spec",
    envvar=ENV_FAULTS,
    default="",
    metavar="SPEC",
    help=f"Injected faults, e.g. latency=50ms,error=0.05,seed=42 (default: ${ENV_FAULTS}).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log every request on stderr.")
@state_option
def serve(port: int, host: str, fault_spec: str, verbose: bool, state_dir: str | None) -> None:
    """Serve every platform over HTTP: http://HOST:PORT/<platform>/...

    Point a target's base_url at http://127.0.0.1:PORT/micro1 (or /jobmojito,
    /instaview, /versive) and give it any credential; `sandbox-NAME` opens account NAME.
    Stops cleanly on Ctrl-C or SIGTERM.
    """
    from interform.sandbox.server import describe
    from interform.sandbox.server import serve as run

    faults = Faults.parse(fault_spec, source="--faults")
    directory, _ = _state(state_dir)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving on {host}: the emulators accept any credential", err=True)
    try:
        run(
            host,
            port,
            directory,
            faults,
            verbose=verbose,
            ready=lambda server: click.echo(describe(server, directory)),
        )
    except OSError as err:
        raise UserError(
            f"cannot listen on {host}:{port}: {err.strerror or err}",
            fix="choose another --port (0 picks a free one)",
        ) from err


@sandbox.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")
@state_option
def show(as_json: bool, state_dir: str | None) -> None:
    """List what every emulated account holds."""
    import json

    from interform.sandbox.inventory import inventory, table

    directory, _ = _state(state_dir)
    rows = inventory(directory)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif rows:
        click.echo(table(rows))
    else:
        click.echo(f"no emulated objects in {directory}", err=True)


@sandbox.command()
@click.option(
    "--platform",
    "platforms",
    multiple=True,
    type=PlatformChoice(),
    help="Only this platform (repeatable).",
)
@click.option("--account", "accounts", multiple=True, help="Only this account (repeatable).")
@click.option(
    "--keep-lockfile",
    is_flag=True,
    help="Keep .interform/sandbox/interform.lock (plan then shows the objects as gone).",
)
@state_option
def reset(
    platforms: tuple[str, ...],
    accounts: tuple[str, ...],
    keep_lockfile: bool,
    state_dir: str | None,
) -> None:
    """Empty the emulated accounts (all of them unless --platform/--account narrow it).

    A full reset of a project's sandbox also removes the sandbox lockfile, since the
    objects it records are gone.
    """
    from interform.sandbox.inventory import remove

    directory, root = _state(state_dir)
    whole = not platforms and not accounts
    lockfile = root / SANDBOX_DIR / LOCKFILE if root and whole and not keep_lockfile else None
    if lockfile is not None and lockfile.with_name(LOCKFILE + ".lock").exists():
        from interform import hints

        hints.sandboxed(True)  # the lock is the sandbox lockfile's
        unlock = hints.command("force-unlock", "LOCK_ID")
        raise UserError(
            f"{lockfile}.lock exists: an apply against the sandbox is running",
            fix=f"wait for it to finish (or break a stale lock with `{unlock}`), then reset",
        )
    removed = remove(directory, platforms, accounts)
    for path in (lockfile, lockfile.with_name(LOCKFILE + ".journal")) if lockfile else ():
        if path.exists():
            path.unlink()
            click.echo(f"removed {path}", err=True)
    click.echo(f"reset {len(removed)} emulated account(s) in {directory}", err=True)
