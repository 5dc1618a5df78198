"""Remote ids: the opaque tokens platforms hand out, which interform pastes into URL paths
(`PUT /interview/{id}`) and request bodies.

None of the four platforms documents a shape (examples are UUIDs, `h0gqkAcaDJ`), so an id
is accepted only as what every one of them returns: a short run of letters, digits and
the URL-safe punctuation `. _ ~ : @ + = -`, starting with a letter or digit — one path
segment that needs no escaping, so it can never climb (`..`), add a segment (`/`) or a
query (`?`). The check runs wherever an id enters: the lockfile, the journal, saved
plans, definitions, the command line and API answers; `path_segment` quotes it once more
before it reaches a URL all the same.
"""

from __future__ import annotations

import re
from typing import Annotated, Final
from urllib.parse import quote

from pydantic import Field

from interform.errors import shown

MAX_LENGTH: Final = 128
REMOTE_ID_PATTERN: Final = rf"^[A-Za-z0-9][A-Za-z0-9._~:@+=-]{{0,{MAX_LENGTH - 1}}}$"
REMOTE_ID_RE: Final = re.compile(REMOTE_ID_PATTERN)
SHAPE: Final = (
    f"at most {MAX_LENGTH} letters, digits and . _ ~ : @ + = -, starting with a letter or digit"
)

RemoteId = Annotated[str, Field(pattern=REMOTE_ID_PATTERN, max_length=MAX_LENGTH)]


def remote_id_problem(value: object) -> str | None:
    """What is wrong with `value` as a remote id (None: nothing)."""
    if not isinstance(value, str):
        return f"a remote id must be a string, not {type(value).__name__}"
    if len(value) > MAX_LENGTH:
        return f"remote id {shown(value)} is {len(value):,} characters long ({SHAPE})"
    if not REMOTE_ID_RE.match(value):
        return f"remote id {shown(value)} is not a platform id ({SHAPE})"
    return None


def path_segment(value: str) -> str:
    """`value` as one URL path segment; ValueError when it is not a valid remote id."""
    problem = remote_id_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return quote(value, safe="")
