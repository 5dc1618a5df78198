"""The one spelling of a request body as text and its digest: the lockfile, saved plans
and the planner compare bodies by these, so every layer imports them from here."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pydantic_core


def canonical_json(value: Any) -> str:
    """Keys sorted, no spaces, text as written: equal bodies give equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def body_digest(body: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(body).encode()).hexdigest()


def has_digest(body: Any, digest: str) -> bool:
    """`body` is the body `digest` was made of. Tried first with pydantic-core's compact
    serializer, three times faster than `canonical_json`: text read back from interform's
    own files has its keys sorted already, so the two spell it alike and the digests
    match; any other body (keys in another order, a value the two spell differently) is
    checked the canonical way. A match either way means the body's text is the one the
    digest was made of."""
    try:
        fast = pydantic_core.to_json(body)
    except ValueError:  # text it cannot encode: left to the canonical way, as ever
        fast = b""
    if fast and "sha256:" + hashlib.sha256(fast).hexdigest() == digest:
        return True
    return body_digest(body) == digest
