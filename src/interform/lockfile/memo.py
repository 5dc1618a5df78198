"""Seals: what lets a plan skip rendering a definition the lockfile already records.

A cold plan (no cache, as CI runs one) would render every definition into request bodies
only to find most of them equal to the requests the lockfile records. So when an apply
records an object rendered from a definition alone, it also records `rendered`: a seal
over the rendering's token (a digest of everything the rendering was made from: the
definition file, its address and path, the targets and defaults, interform's rendering
code, and how many objects it rendered; see `interform.render_memo`) and over what the
entry says about the object (its address and identity, the digest of its request, its
protection, removal mode and definition file).

A later plan that computes the same token for the definition and finds every entry of
it sealed with that token knows, without rendering, that rendering would give back the
recorded requests. Anything that changes either side breaks the seal and the definition
is rendered as before: an edit of the definition, the defaults or a target, another
interform, a hand edit of the entry (its request is checked against its digest when the
lockfile is read), `refresh` recording a value read back, `state mv`, a merge that takes
the entry from one branch and the definition from another. A seal is never made by
anything but an apply of a real rendering.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from interform.lockfile.model import Entry

if TYPE_CHECKING:
    from interform.providers.base import DesiredResource


def seal(token: str, address: str, entry: Entry) -> str:
    """The seal of `entry` (at `address`) as the rendering `token` made it."""
    parts = (
        token,
        address,
        entry.interview,
        entry.target,
        entry.provider,
        entry.kind,
        entry.parent or "",
        entry.digest or "",
        "protect" if entry.protect else "",
        entry.removal or "",
        entry.source or "",
    )
    return "sha256:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


def sealed(entry: Entry, address: str, token: str) -> bool:
    """`entry` records the rendering `token` names, unchanged since it was applied."""
    if entry.rendered is None or entry.digest is None or entry.request is None:
        return False
    return entry.rendered == seal(token, address, entry)


def rendering_token(res: DesiredResource) -> str | None:
    """The token of the rendering `res` is, if its body is still that rendering's."""
    token, _, digest = res.rendered_from.partition(" ")
    return token if token and digest == res.digest else None
