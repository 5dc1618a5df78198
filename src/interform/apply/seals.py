"""Seals kept current by apply: unchanged objects whose lockfile entry is not sealed for
this interform's rendering of them (written by another version of interform, or before
seals existed) are sealed again, so the next plans need not render them.

Only an entry that records exactly what this run's rendering would record is sealed: the
same identity, the same request digest (its request checked against that digest when the
lockfile was read), protection, removal mode and file, with nothing pending or found
drifted. Nothing is sent to a platform; the entries go through the journal like any
other record of the apply.
"""

from __future__ import annotations

from collections.abc import Sequence

from interform.lockfile.memo import rendering_token, seal
from interform.lockfile.model import Entry, Lockfile
from interform.plan.model import Action, Change
from interform.providers.base import DesiredResource


def resealed(
    desired: Sequence[DesiredResource], changes: Sequence[Change], lock: Lockfile | None
) -> dict[str, Entry]:
    """The entries of the objects the plan leaves unchanged whose seal is missing or
    stale, by address, with their seal as this run's rendering makes it."""
    if lock is None:
        return {}
    changing = {c.address for c in changes if c.action is not Action.NOOP}
    found: dict[str, Entry] = {}
    for res in desired:
        entry = lock.entries.get(res.address)
        token = rendering_token(res)
        if entry is None or token is None or res.address in changing:
            continue
        if not _records(entry, res):
            continue
        fresh = seal(token, res.address, entry)
        if entry.rendered != fresh:
            found[res.address] = entry.model_copy(update={"rendered": fresh})
    return found


def _records(entry: Entry, res: DesiredResource) -> bool:
    """`entry` holds what recording `res` as applied would hold, as the seal covers it."""
    removal = res.removal.value if res.removal is not None else None
    return (
        entry.identity(res.address) == res.identity
        and entry.remote_id is not None
        and entry.request is not None
        and entry.digest == res.digest
        and (entry.protect, entry.removal, entry.source) == (res.protect, removal, res.source)
        and not entry.pending
        and not entry.drifted
    )
