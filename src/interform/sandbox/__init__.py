"""Stateful local emulators of every registered platform (`interform.platforms`).

Two ways in, one set of emulators and accounts:

- in-process: `transport(provider, state_dir=...)` is an `httpx.BaseTransport` for an
  adapter's client (what `--sandbox` uses);
- over HTTP: `interform sandbox serve` (`interform.sandbox.server`), every platform under
  its own path prefix (`/micro1`, `/jobmojito`, … : the platform's name).

Accounts are named by the credential presented (`sandbox-<name>` is account `<name>`)
and persist under `state_dir` (by default `.interform/sandbox/state/` of the project).
This module stays cheap to import: httpx is loaded by `transport()` only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from interform.sandbox.accounts import account_name, sandbox_credential
from interform.sandbox.faults import ENV_FAULTS, Faults

if TYPE_CHECKING:
    import httpx

SANDBOX_DIR = Path(".interform") / "sandbox"


def state_dir(project_root: Path) -> Path:
    """Where the emulated accounts of a project live."""
    return project_root / SANDBOX_DIR / "state"


def transport(
    provider: str, *, state_dir: Path, faults: Faults | None = None
) -> httpx.BaseTransport:
    """An httpx transport answering as `provider` would, from the shared emulator of
    (`provider`, `state_dir`). `faults=None` reads INTERFORM_SANDBOX_FAULTS."""
    from interform.sandbox.inprocess import make_transport

    return make_transport(provider, state_dir=state_dir, faults=faults)


__all__ = [
    "ENV_FAULTS",
    "Faults",
    "account_name",
    "sandbox_credential",
    "state_dir",
    "transport",
]
