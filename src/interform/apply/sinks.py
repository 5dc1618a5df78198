"""Secrets a platform returns (JobMojito's embed signing key) go to the file the
definition names, mode 0600, and nowhere else: never the lockfile, the journal or
output. A secret nobody asked to keep is dropped (it can be fetched again with
`interform embed-key`)."""

from __future__ import annotations

import os
from pathlib import Path

from interform import hints, secrets
from interform.providers.base import Applied, DesiredResource


def write_sinks(root: str, res: DesiredResource, applied: Applied) -> list[str]:
    """Write every returned secret its definition has a sink for; remarks for output."""
    notes = []
    for name, value in sorted(applied.secrets.items()):
        secrets.register(value)
        sink = res.sinks.get(name)
        if sink is None:
            notes.append(
                f"the platform returned {name}; it is not stored "
                f"(fetch it with `{hints.command('embed-key', res.address)}`)"
            )
            continue
        path = Path(root) / sink
        write_secret(path, value)
        notes.append(f"{name} written to {sink} (mode 0600)")
    return notes


def write_secret(path: Path, value: str) -> None:
    """Atomically, created 0600 from the start so the secret is never world-readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, (value + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
