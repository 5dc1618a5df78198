"""An applied resource as the lockfile records it: the one place a desired resource's
identity and request become an `Entry`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from interform.lockfile.memo import rendering_token, seal
from interform.lockfile.model import Entry

if TYPE_CHECKING:
    from interform.providers.base import DesiredResource


def entry_from_desired(
    res: DesiredResource,
    *,
    remote_id: str | None,
    parent_remote_id: str | None,
    now: str,
    prior: Entry | None = None,
) -> Entry:
    """The entry recording `res` as applied; what the platform returned (urls, private
    data, marker, creation time) carries over from `prior` when the object is the same.
    Sealed (`lockfile.memo`) when `res` says which rendering it is."""
    same = prior is not None and prior.remote_id == remote_id
    entry = Entry.of(
        res.identity,
        remote_id=remote_id,
        parent_remote_id=parent_remote_id,
        urls=dict(prior.urls) if same and prior else {},
        digest=res.digest,
        request=dict(res.body),
        marker=prior.marker if same and prior else None,
        source=res.source,
        created_at=prior.created_at if same and prior else now,
        updated_at=now,
        protect=res.protect,
        removal=res.removal.value if res.removal else None,
        private=dict(prior.private) if same and prior else {},
    )
    token = rendering_token(res)
    if token is not None:  # the request is that rendering itself: sealed for later plans
        entry.rendered = seal(token, res.address, entry)
    return entry
