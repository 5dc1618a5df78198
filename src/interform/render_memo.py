"""Unchanged definitions, known from the lockfile without rendering them again.

Rendering every definition into request bodies is a good part of a cold plan (no cache,
as CI makes one), and for most definitions it only finds the bodies the lockfile
already records. So a rendering gets a token: a digest of everything it is made from
(the definition file's digest, its address and path, the targets it names, the project
defaults, interform's version and the source of its rendering code: the render cache's
key, `interform.cache`) and of how many objects it made. An apply seals each entry it
records from such a rendering with the token (`lockfile.memo`); a plan that computes
the same token for a definition and finds every live entry of that definition sealed
with it takes those entries' requests as the rendering (`RenderMemo.recall`).

Only a rendering that is its definition's alone is marked (`_whole`): nothing in it
comes from another object (Instaview references), a fixed parent id, a move, an
`ignore_changes`, a secret file or a platform's own render-time facts, since an entry
records none of these. What a recalled resource holds is what the seal covers (identity,
request, digest, protection, removal mode, file), and what only a plan that changes it
reads (origins, notes), from rendering the definition again if it is read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING

from interform.lockfile.memo import sealed
from interform.model.address import is_deposed
from interform.providers.base import DesiredResource, LazyMapping, LazyNotes, Removal

if TYPE_CHECKING:
    from interform.config import LoadedDefinition
    from interform.lockfile.model import Entry, Lockfile
    from interform.providers.base import YamlPath

Again = Callable[[str], DesiredResource]  # the resource at an address, rendered on demand


class RenderMemo:
    """The lockfile's live entries by definition, and the tokens of renderings."""

    def __init__(self, salt: str, lock: Lockfile | None) -> None:
        self.salt = salt  # the render cache's: version, rendering code, defaults
        self.kept: dict[str, list[tuple[str, Entry]]] = {}
        for address, entry in lock.entries.items() if lock is not None else ():
            if not is_deposed(address):  # a replaced object is not part of any rendering
                self.kept.setdefault(entry.interview, []).append((address, entry))

    def token(self, loaded: LoadedDefinition, context: str, count: int) -> str:
        text = "\0".join((self.salt, loaded.digest, context, str(count)))
        return hashlib.sha256(text.encode()).hexdigest()

    def recall(
        self, loaded: LoadedDefinition, context: str, again: Again
    ) -> list[DesiredResource] | None:
        """The rendering of `loaded` in `context`, when every live entry of it is sealed
        with its token; None otherwise (then it must be rendered)."""
        kept = self.kept.get(loaded.address)
        if not kept:
            return None
        # the count is part of the token: an entry missing (never applied, `state rm`)
        # or one too many makes every seal of the definition fail
        token = self.token(loaded, context, len(kept))
        if not all(sealed(entry, address, token) for address, entry in kept):
            return None
        return [_recalled(address, entry, token, again) for address, entry in kept]

    def mark(
        self, resources: Sequence[DesiredResource], loaded: LoadedDefinition, context: str
    ) -> None:
        """Give each of a definition's freshly made resources its rendering's token, when
        an entry can stand for all of them. They are new and unshared, so in place."""
        if not resources or not all(_whole(res) for res in resources):
            return
        token = self.token(loaded, context, len(resources))
        for res in resources:
            object.__setattr__(res, "rendered_from", f"{token} {res.digest}")


def _whole(res: DesiredResource) -> bool:
    """Everything in `res` comes from its definition alone and is what an entry records."""
    outside = (res.parent_remote_id, res.moved_from, res.refs, res.ignore, res.sinks)
    return not any(outside) and not res.context


def origins_at(again: Again, address: str) -> Mapping[str, YamlPath]:
    return again(address).origins


def _notes_at(again: Again, address: str) -> Sequence[str]:
    return again(address).notes


def _note_fields_at(again: Again, address: str) -> Mapping[str, str]:
    return again(address).note_fields


def _recalled(address: str, entry: Entry, token: str, again: Again) -> DesiredResource:
    """The resource that rendering made, as the sealed entry records it; what the entry
    does not record is rendered again if it is read."""
    assert entry.request is not None and entry.digest is not None  # `sealed` checked
    return DesiredResource(
        identity=entry.identity(address),
        body=entry.request,
        source=entry.source or "",
        protect=entry.protect,
        removal=Removal(entry.removal) if entry.removal else None,
        origins=LazyMapping(partial(origins_at, again, address)),
        notes=LazyNotes(partial(_notes_at, again, address)),
        note_fields=LazyMapping(partial(_note_fields_at, again, address)),
        digest=entry.digest,
        rendered_from=f"{token} {entry.digest}",
    )
