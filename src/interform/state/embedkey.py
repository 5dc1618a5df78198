"""`interform embed-key ADDRESS [--out FILE]`: fetch a JobMojito interview's embed
signing key again.

The key is a secret: it never reaches the lockfile, a log or ordinary output. It goes to
`--out FILE` (created with mode 0600), else to the file the definition names
(`jobmojito.embed.signing_key_file`); printing it takes an explicit `--out -`, for piping
it into a secret store. With neither, the command refuses rather than guess.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from interform.errors import UserError
from interform.paths import OwnedFiles
from interform.secretfile import destination_problem, sink_problem
from interform.state.edits import list_fix

if TYPE_CHECKING:
    from interform.lockfile.model import Entry
    from interform.providers.base import Applied
    from interform.workspace import Workspace

SIGNING_KEY = "embed_signing_key"
STDOUT = "-"
_WHERE = "write it to a git-ignored file outside interform's own files (--out FILE)"


@runtime_checkable
class EmbedKeys(Protocol):
    """What an adapter offers when its platform hands out embed signing keys."""

    def embed_key(self, prior: Entry) -> Applied: ...


@dataclass(frozen=True)
class Fetched:
    key: str
    destination: Path | None  # None: stdout
    embed_id: str | None


def fetch_embed_key(
    ws: Workspace, address: str, out: str | None, lock_timeout: float = 0.0
) -> Fetched:
    """Fetch the key (under the apply lock: it touches the platform and may record a new
    embed id) and write it where it goes; the caller prints it only for `--out -`."""
    from interform.apply.connect import connect
    from interform.providers.registry import provider_class
    from interform.secretfile import write_secret
    from interform.state.access import StateFile

    with StateFile.of(ws).mutate("embed-key", lock_timeout) as lock:
        entry = lock.entries.get(address)
        if entry is None or entry.remote_id is None:
            raise UserError(
                f"{address} is not tracked with a remote id",
                fix=list_fix(),
            )
        if not issubclass(provider_class(entry.provider), EmbedKeys):
            raise UserError(
                f"{address} is on {entry.provider}: only JobMojito interviews have an "
                "embed signing key"
            )
        destination = _destination(ws, address, entry, out)
        with connect(ws, [entry.target]) as connections:
            provider = connections[entry.target]
            assert isinstance(provider, EmbedKeys)
            applied = _fetch(provider, address, entry)
        key = applied.secrets.get(SIGNING_KEY)
        if not key:
            raise UserError(f"{entry.provider} returned no embed signing key for {address}")
        entry.urls = {**entry.urls, **applied.urls}
        if destination is not None:
            write_secret(destination, key)
    return Fetched(key, destination, applied.urls.get("embed_id"))


def _destination(ws: Workspace, address: str, entry: Entry, out: str | None) -> Path | None:
    """Where the key goes, decided before anything is sent."""
    desired = next((r for r in ws.desired if r.address == address), None)
    body = desired.body if desired is not None else (entry.request or {})
    if body.get("is_embedded") is not True:
        where = desired.source if desired is not None else "its definition"
        raise UserError(
            f"{address}: embedding is not enabled in {where}, and fetching the key would "
            "turn it on",
            fix="enable it (`jobmojito: embed: {enabled: true}`) and apply first",
        )
    if out == STDOUT:
        return None
    owned = OwnedFiles.of(ws.root, ws.project.lockfile, ws.project.interviews)
    if out is not None:
        # the user's own choice: anywhere, but never interform's files nor into git
        path = Path(os.path.realpath(out))
        problem = destination_problem(path, owned)
    else:
        sink = desired.sinks.get(SIGNING_KEY) if desired is not None else None
        if sink is None:
            raise UserError(
                f"{address}: its definition names no jobmojito.embed.signing_key_file",
                fix="say where the key goes: --out FILE (written with mode 0600), "
                "or --out - to print it",
            )
        path, problem = sink_problem(str(ws.root), owned, sink)
    if problem is not None:
        raise UserError(f"{address}: the key cannot be written: {problem}", fix=_WHERE)
    return path


def _fetch(provider: EmbedKeys, address: str, entry: Entry) -> Applied:
    from interform.providers.errors import ProviderError

    try:
        return provider.embed_key(entry)
    except ProviderError as err:
        raise UserError(
            f"{address}: cannot fetch the embed signing key: {err.describe()}",
            fix="check the target's credential and try again",
        ) from None
