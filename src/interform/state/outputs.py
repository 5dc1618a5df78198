"""`interform output`: what people need from the platforms once apply has run — invite and
participant links and remote ids — from the lockfile, without calling any platform.

Objects left over from a replacement (deposed, about to be removed) are not outputs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from interform import hints
from interform.lockfile.journal import DEPOSED_SEPARATOR
from interform.lockfile.model import Entry, Lockfile

JSON_VERSION = 1


def outputs(lock: Lockfile | None, addresses: Sequence[str]) -> dict[str, Entry]:
    entries = lock.entries if lock else {}
    return {a: entries[a] for a in addresses if DEPOSED_SEPARATOR not in a}


def outputs_json(chosen: dict[str, Entry], sandbox: bool) -> str:
    data: dict[str, Any] = {
        "version": JSON_VERSION,
        "sandbox": sandbox,
        "outputs": {address: _output(entry) for address, entry in chosen.items()},
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _output(entry: Entry) -> dict[str, Any]:
    return {
        "target": entry.target,
        "provider": entry.provider,
        "kind": entry.kind,
        "remote_id": entry.remote_id,
        "links": dict(sorted(entry.urls.items())),
        "pending": bool(entry.pending),
    }


def outputs_text(chosen: dict[str, Entry]) -> str:
    from interform.providers.registry import kind_spec

    if not chosen:
        return f"Nothing is tracked yet: run `{hints.command('apply')}` first.\n"
    lines: list[str] = []
    for address, entry in chosen.items():
        label = kind_spec(entry.provider, entry.kind).label
        lines.append(f"{address}: {label} {entry.remote_id or _missing(entry)}")
        lines += [f"  {key}: {entry.urls[key]}" for key in sorted(entry.urls)]
        if entry.pending:
            ops = ", ".join(p.op for p in entry.pending)
            plan = hints.command("plan")
            lines.append(f"  pending: {ops} (run `{plan}` to see how it is resolved)")
    return "\n".join(lines) + "\n"


def _missing(entry: Entry) -> str:
    if entry.gone:
        return "(deleted outside interform: the next apply creates it again)"
    return "(create interrupted)"
