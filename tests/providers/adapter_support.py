"""What the adapter tests share beside conftest's fixtures: a target named by a string,
the lockfile entry an apply records for an object it made, and the schema check every
fake server runs on what it receives and answers."""

from __future__ import annotations

from typing import Any

from interform.lockfile.applied import entry_from_desired
from interform.lockfile.model import Entry
from interform.model.project import Target
from interform.providers import schemas
from interform.providers.base import Applied, DesiredResource

NOW = "2026-11-23T10:00:00Z"


def target_named(provider: str, **settings: Any) -> Target:
    """A target of the platform named `provider` (a test parameter, an adapter's `name`),
    checked as interform.yaml's targets are, so a misspelt platform fails here."""
    return Target.model_validate({"provider": provider, **settings})


def entry(res: DesiredResource, made: Applied | str, marker: str | None = None) -> Entry:
    """`res` as the lockfile tracks it once created as `made` (what create returned, or
    just the remote id)."""
    applied = made if isinstance(made, Applied) else Applied(made)
    tracked = entry_from_desired(
        res, remote_id=applied.remote_id, parent_remote_id=res.parent_remote_id, now=NOW
    )
    tracked.urls, tracked.marker = applied.urls, marker
    return tracked


def assert_valid(schema: str, payload: Any) -> None:
    found = schemas.problems(schema, payload)
    assert not found, f"{schema}: " + "; ".join(f"{p.pointer} {p.message}" for p in found)
