"""Secrets a platform returns (JobMojito's embed signing key) go to the file the
definition names, mode 0600, and nowhere else: never the lockfile, the journal or
output. A secret nobody asked to keep is dropped (it can be fetched again with
`interform embed-key`).

The file must stay inside the project, off interform's own files and out of git
(`secretfile.py`); plan checks that before anything is sent, and the write checks it
again (a refused write leaves a note, not a failed change: the object was made).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from interform import hints, secrets
from interform.errors import Problem
from interform.paths import OwnedFiles, confined
from interform.providers.base import Applied, DesiredResource
from interform.secretfile import destination_problem, write_secret

if TYPE_CHECKING:
    from interform.plan.model import Change
    from interform.workspace import Workspace

_FIX = (
    "name a git-ignored file inside the project, outside interform's own files "
    "(e.g. secrets/embed.key, with secrets/ in .gitignore)"
)


def sink_problem(root: str, owned: OwnedFiles | None, sink: str) -> tuple[Path, str | None]:
    """(where the sink resolves, why a secret may not go there: None when it may)."""
    path, problem = confined(Path(os.path.realpath(root)), sink)
    return path, problem or destination_problem(path, owned)


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


def sink_problems(changes: Sequence[Change], ws: Workspace) -> list[Problem]:
    """Every sink a change of the plan may write, checked before anything is sent."""
    from interform.plan.model import Action

    owned = OwnedFiles.of(ws.root, ws.project.lockfile, ws.project.interviews)
    problems = []
    for change in changes:
        res = change.desired
        if res is None or change.action in (Action.BLOCKED, Action.NOOP):
            continue
        for name, sink in sorted(res.sinks.items()):
            _, problem = sink_problem(str(ws.root), owned, sink)
            if problem is not None:
                line, col = ws.locate(res.source, res.origin(f"/{name}"))
                message = f"{res.address}: {name} cannot be written: {problem}"
                problems.append(Problem(res.source, line, col, message, _FIX))
    return problems
