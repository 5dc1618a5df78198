"""What the adapter tests share beside conftest's fixtures: the lockfile entry an apply
records for an object it made, and the schema check every fake server runs on what it
receives and answers."""

from __future__ import annotations

from typing import Any

from interform.lockfile.model import Entry
from interform.providers import schemas
from interform.providers.base import Applied, DesiredResource


def entry(res: DesiredResource, made: Applied | str, marker: str | None = None) -> Entry:
    """`res` as the lockfile tracks it once created as `made` (what create returned, or
    just the remote id)."""
    applied = made if isinstance(made, Applied) else Applied(made)
    return Entry(
        interview=res.interview,
        target=res.target,
        provider=res.provider,
        kind=res.kind,
        remote_id=applied.remote_id,
        parent=res.parent,
        request=dict(res.body),
        digest=res.digest,
        urls=applied.urls,
        marker=marker,
        removal=res.removal.value if res.removal else None,
    )


def assert_valid(schema: str, payload: Any) -> None:
    found = schemas.problems(schema, payload)
    assert not found, f"{schema}: " + "; ".join(f"{p.pointer} {p.message}" for p in found)
