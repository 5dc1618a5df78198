"""`interform refresh`, `import`, `state list|show|rm|mv|unprotect`, `output`,
`force-unlock` and `embed-key`. Only click at import time: the logic lives in
`interform.state` and loads when a command runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from interform.commands.options import run_timeout_option

if TYPE_CHECKING:
    from interform.lockfile.model import Lockfile
    from interform.state.access import StateFile

F = TypeVar("F", bound=Callable[..., Any])


def _sandbox_option(func: F) -> F:
    return click.option(
        "--sandbox", is_flag=True, help="Use the sandbox lockfile (also INTERFORM_SANDBOX=1)."
    )(func)


def _lock_timeout_option(func: F) -> F:
    return click.option(
        "--lock-timeout",
        type=click.FloatRange(min=0),
        default=0.0,
        metavar="SECONDS",
        help="Wait this long for another apply to release the lock (default: fail at once).",
    )(func)


def _state(sandbox: bool) -> StateFile:
    from interform.state.access import open_state
    from interform.workspace import sandbox_requested

    return open_state(sandbox_requested(sandbox))


def _edit(
    sandbox: bool,
    lock_timeout: float,
    operation: str,
    change: Callable[[Lockfile, str], list[str]],
    *,
    shared_ok: bool = False,
) -> list[str]:
    """Apply `change` (given the lockfile and its name for messages) under the lock."""
    st = _state(sandbox)
    with st.mutate(operation, lock_timeout, shared_ok=shared_ok) as lock:
        return change(lock, st.name)


def _say(lines: list[str] | str, err: bool = False) -> None:
    from interform.secrets import scrub

    text = lines if isinstance(lines, str) else "".join(f"{line}\n" for line in lines)
    click.echo(scrub(text), nl=False, err=err)


# ---------------------------------------------------------------------- state


@click.group()
def state() -> None:
    """Inspect and change the lockfile without touching the platforms."""


@state.command("list")
@click.argument("patterns", nargs=-1, metavar="[GLOB]...")
@_sandbox_option
def state_list(patterns: tuple[str, ...], sandbox: bool) -> None:
    """Tracked addresses, one a line (GLOB as in plan --target)."""
    from interform.state.describe import selected

    _say(selected(_state(sandbox).view(), patterns))


@state.command("show")
@click.argument("address")
@click.option("--json", "as_json", is_flag=True, help="The lockfile entry as JSON.")
@_sandbox_option
def state_show(address: str, as_json: bool, sandbox: bool) -> None:
    """Everything the lockfile records about ADDRESS."""
    from interform.state.describe import entry_json, entry_text, show_entry

    entry = show_entry(_state(sandbox).view(), address)
    _say(entry_json(address, entry) if as_json else entry_text(address, entry))


@state.command("rm")
@click.argument("addresses", nargs=-1, required=True, metavar="ADDRESS...")
@_sandbox_option
@_lock_timeout_option
def state_rm(addresses: tuple[str, ...], sandbox: bool, lock_timeout: float) -> None:
    """Stop tracking objects; they stay on their platforms, untouched."""
    from interform.state.edits import remove

    def remove_them(lock: Lockfile, where: str) -> list[str]:
        return remove(lock, addresses, where)

    # it is how an object tracked at two addresses is repaired: it may read such a lockfile
    _say(_edit(sandbox, lock_timeout, "state rm", remove_them, shared_ok=True))


@state.command("mv")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@_sandbox_option
@_lock_timeout_option
def state_mv(old: str, new: str, sandbox: bool, lock_timeout: float) -> None:
    """Track the object at OLD as NEW (its sessions move along); nothing is sent."""
    from interform.state.edits import move

    lines = _edit(sandbox, lock_timeout, "state mv", lambda lock, at: move(lock, old, new, at))
    _say(["Moved:", *(f"  {line}" for line in lines)])


@state.command("unprotect")
@click.argument("addresses", nargs=-1, required=True, metavar="ADDRESS...")
@_sandbox_option
@_lock_timeout_option
def state_unprotect(addresses: tuple[str, ...], sandbox: bool, lock_timeout: float) -> None:
    """Clear `protect` recorded for objects whose definition is gone, so apply can remove them."""
    from interform.state.edits import unprotect

    _say(
        _edit(sandbox, lock_timeout, "state unprotect", lambda lk, at: unprotect(lk, addresses, at))
    )


# ---------------------------------------------------------------------- output, unlock


@click.command()
@click.argument("patterns", nargs=-1, metavar="[GLOB]...")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable (documented, versioned).")
@_sandbox_option
def output(patterns: tuple[str, ...], as_json: bool, sandbox: bool) -> None:
    """Invite and participant links and remote ids of what interform manages."""
    from interform.state.describe import selected
    from interform.state.outputs import outputs, outputs_json, outputs_text

    st = _state(sandbox)
    lock = st.view()
    chosen = outputs(lock, selected(lock, patterns))
    if st.sandbox and not as_json:
        _say("Sandbox: these objects live in the local emulators, not on the platforms.\n", True)
    _say(outputs_json(chosen, st.sandbox) if as_json else outputs_text(chosen))


@click.command("force-unlock")
@click.argument("lock_id", metavar="LOCK_ID")
@click.option("--force", is_flag=True, help="Break it even though its holder looks alive.")
@_sandbox_option
def force_unlock(lock_id: str, force: bool, sandbox: bool) -> None:
    """Break the apply lock LOCK_ID left by a crashed or killed run."""
    from interform.state.access import break_lock

    st = _state(sandbox)
    info = break_lock(st, lock_id, force)
    _say(f"Released lock {info.id} of {st.name}, held by {info.describe()}.\n")


# ---------------------------------------------------------------------- platform commands


@click.command()
@_sandbox_option
@_lock_timeout_option
@run_timeout_option
def refresh(sandbox: bool, lock_timeout: float) -> None:
    """Compare the platforms with the lockfile: report drift and objects deleted outside
    interform, settle interrupted creates, and record objects an interrupted apply made
    but never recorded (found by their ownership marker)."""
    from interform.errors import UserError
    from interform.state.refresh import run_refresh
    from interform.workspace import open_workspace, sandbox_requested

    ws = open_workspace(sandbox=sandbox_requested(sandbox))
    if ws.sandbox:
        _say("Sandbox: refreshing from the emulated platforms and the sandbox lockfile.\n", True)
    report = run_refresh(ws, lock_timeout)
    _say(report.lines())
    if report.problems:
        raise UserError(report.problems)


@click.command("import")
@click.argument("address", metavar="ADDRESS")
@click.argument("remote_id", metavar="REMOTE_ID")
@click.option(
    "--generate",
    is_flag=True,
    help="Also write the definition (interviews/<interview>.yaml; never overwrites).",
)
@_sandbox_option
@_lock_timeout_option
@run_timeout_option
def import_(
    address: str, remote_id: str, generate: bool, sandbox: bool, lock_timeout: float
) -> None:
    """Track an object that already exists on its platform as ADDRESS.

    Also settles a create the plan shows as blocked: import the object the interrupted
    apply made (look for it on the platform), and the plan goes on from there."""
    from interform.state.importing import run_import
    from interform.workspace import open_workspace, sandbox_requested

    ws = open_workspace(sandbox=sandbox_requested(sandbox))
    _say(run_import(ws, address, remote_id, generate=generate, lock_timeout=lock_timeout))


@click.command("embed-key")
@click.argument("address", metavar="ADDRESS")
@click.option(
    "--out",
    metavar="FILE",
    help="Write the key to FILE (mode 0600); `-` prints it on stdout (keep it out of CI logs). "
    "Default: the definition's jobmojito.embed.signing_key_file.",
)
@_sandbox_option
@_lock_timeout_option
@run_timeout_option
def embed_key(address: str, out: str | None, sandbox: bool, lock_timeout: float) -> None:
    """Fetch the embed signing key of a JobMojito interview again."""
    from interform.state.embedkey import fetch_embed_key
    from interform.workspace import open_workspace, sandbox_requested

    ws = open_workspace(sandbox=sandbox_requested(sandbox))
    fetched = fetch_embed_key(ws, address, out, lock_timeout)
    if fetched.destination is None:
        click.echo(fetched.key)  # asked for explicitly: the one place a secret is printed
        return
    embed = f" (embed id {fetched.embed_id})" if fetched.embed_id else ""
    _say(f"Wrote the embed signing key of {address}{embed} to {fetched.destination} (mode 0600).\n")
