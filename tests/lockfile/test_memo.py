"""The seal of a lockfile entry (`lockfile.memo`): what it covers, and when apply makes one."""

from __future__ import annotations

import dataclasses

import pytest

from interform.lockfile.applied import entry_from_desired
from interform.lockfile.memo import rendering_token, seal, sealed
from interform.lockfile.model import Entry
from interform.model.identity import Identity
from interform.providers.base import DesiredResource, Removal

ADDRESS = "eng/backend@micro1"
IDENTITY = Identity(ADDRESS, "eng/backend", "micro1", "micro1", "interview")
TOKEN = "a" * 64


def _resource(**fields: object) -> DesiredResource:
    res = DesiredResource(IDENTITY, {"name": "Backend"}, "interviews/eng/backend.yaml")
    res = dataclasses.replace(res, **fields)  # type: ignore[arg-type]
    return dataclasses.replace(res, rendered_from=f"{TOKEN} {res.digest}")


def _entry(res: DesiredResource) -> Entry:
    return entry_from_desired(
        res, remote_id="r-1", parent_remote_id=None, now="2026-12-06T00:00:00Z"
    )


def test_apply_seals_an_entry_with_its_rendering() -> None:
    entry = _entry(_resource())
    assert entry.rendered == seal(TOKEN, ADDRESS, entry)
    assert sealed(entry, ADDRESS, TOKEN)
    assert not sealed(entry, ADDRESS, "b" * 64)
    assert not sealed(entry, "eng/other@micro1", TOKEN)


def test_a_copy_with_another_body_is_not_sealed_as_that_rendering() -> None:
    """Refs filled in, ignored values kept, an interrupted create's body: the copy keeps
    `rendered_from`, but its digest no longer matches, so nothing is sealed."""
    res = _resource()
    other = dataclasses.replace(res, body={"name": "Older"}, digest="")
    assert rendering_token(res) == TOKEN
    assert rendering_token(other) is None
    assert _entry(other).rendered is None


def test_a_resource_without_a_rendering_is_not_sealed() -> None:
    res = dataclasses.replace(_resource(), rendered_from="")
    assert _entry(res).rendered is None


@pytest.mark.parametrize(
    "change",
    [
        {"interview": "eng/frontend"},
        {"target": "micro1-eu"},
        {"kind": "agent"},
        {"parent": "eng/backend@micro1"},
        {"digest": "sha256:" + "0" * 64},
        {"protect": True},
        {"removal": Removal.FORGET.value},
        {"source": "interviews/eng/backend-old.yaml"},
        {"request": None},
        {"rendered": None},
    ],
    ids=lambda change: next(iter(change)),
)
def test_every_field_the_seal_covers_breaks_it(change: dict[str, object]) -> None:
    entry = _entry(_resource())
    assert not sealed(entry.model_copy(update=change), ADDRESS, TOKEN)


def test_what_the_seal_does_not_cover_leaves_it_intact() -> None:
    """What the platform returned and the apply's bookkeeping: not part of a rendering."""
    entry = _entry(_resource())
    update = {"remote_id": "r-2", "urls": {"link": "https://x"}, "marker": "m", "pending": []}
    assert sealed(entry.model_copy(update=update), ADDRESS, TOKEN)
