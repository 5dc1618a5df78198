"""`state list` and `state show`: the lockfile, read-only, as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from interform.errors import UserError
from interform.lockfile.journal import DEPOSED_SEPARATOR
from interform.lockfile.model import Entry, Lockfile
from interform.model.address import matches
from interform.state.edits import list_fix


def selected(lock: Lockfile | None, patterns: Sequence[str]) -> list[str]:
    """Tracked addresses, sorted, narrowed to `patterns` (the globs of plan --target)."""
    addresses = sorted(lock.entries) if lock else []
    if not patterns:
        return addresses
    return [a for a in addresses if matches(a.partition(DEPOSED_SEPARATOR)[0], list(patterns))]


def show_entry(lock: Lockfile | None, address: str) -> Entry:
    entry = lock.entries.get(address) if lock else None
    if entry is None:
        raise UserError(f"{address} is not in the lockfile", fix=list_fix())
    return entry


def entry_json(address: str, entry: Entry) -> str:
    data = {"address": address, **entry.model_dump(mode="json", exclude_defaults=True)}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def entry_text(address: str, entry: Entry) -> str:
    from interform.providers.registry import kind_spec

    spec = kind_spec(entry.provider, entry.kind)
    rows = [
        ("address", address),
        ("kind", f"{spec.label} on target {entry.target}"),
        ("remote id", entry.remote_id or _no_id(entry)),
        ("parent", _parent(entry)),
        ("source", entry.source),
        ("created", entry.created_at),
        ("updated", entry.updated_at),
        ("protect", "yes" if entry.protect else "no"),
        ("removal", entry.removal or f"{spec.removal.value} (the platform's)"),
        ("marker", entry.marker),
        ("digest", entry.digest),
        (
            "drifted",
            ", ".join(entry.drifted) + " (changed outside interform)" * bool(entry.drifted),
        ),
    ]
    if DEPOSED_SEPARATOR in address:
        rows.insert(1, ("deposed", "left over from a replacement; the next apply removes it"))
    lines = [f"{name + ':':<11} {value}" for name, value in rows if value]
    lines += _mapping("links", entry.urls)
    lines += [
        f"pending:    {p.op} since {p.started_at}" + (f" ({p.detail})" if p.detail else "")
        for p in entry.pending
    ]
    if entry.request is not None:
        body = json.dumps(entry.request, indent=2, sort_keys=True, ensure_ascii=False)
        lines += ["request:", *("  " + line for line in body.splitlines())]
    return "\n".join(lines) + "\n"


def _parent(entry: Entry) -> str | None:
    if entry.parent and entry.parent_remote_id:
        return f"{entry.parent} ({entry.parent_remote_id})"
    return entry.parent or entry.parent_remote_id


def _mapping(title: str, values: dict[str, str]) -> list[str]:
    if not values:
        return []
    return [f"{title}:", *(f"  {key}: {values[key]}" for key in sorted(values))]


def _no_id(entry: Entry) -> str:
    if entry.gone:
        return "(none: refresh found it deleted outside interform)"
    return "(none: its create was interrupted)"
