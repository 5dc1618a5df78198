"""Secrets a platform returns (JobMojito's embed signing key) go to the file the
definition names, mode 0600, and nowhere else: never the lockfile, the journal or
output. A secret nobody asked to keep is dropped (it can be fetched again with
`interform embed-key`).

The file must stay inside the project, off interform's own files and out of git
(`secretfile.py`); plan checks that before anything is sent, and the write checks it
again (a refused write leaves a note, not a failed change: the object was made).
"""

from __future__ import annotations

from interform import hints, secrets
from interform.paths import OwnedFiles
from interform.providers.base import Applied, DesiredResource
from interform.secretfile import sink_problem, write_secret


def write_sinks(
    root: str, res: DesiredResource, applied: Applied, owned: OwnedFiles | None = None
) -> list[str]:
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
        path, problem = sink_problem(root, owned, sink)
        if problem is not None:
            notes.append(
                f"the platform returned {name}; it is not written: {problem} "
                f"(fetch it with `{hints.command('embed-key', res.address, '--out', 'FILE')}`)"
            )
            continue
        write_secret(path, value)
        notes.append(f"{name} written to {sink} (mode 0600)")
    return notes
