"""The one spelling of a request body as text and its digest: the lockfile, saved plans
and the planner compare bodies by these, so every layer imports them from here."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> str:
    """Keys sorted, no spaces, text as written: equal bodies give equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def body_digest(body: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(body).encode()).hexdigest()
