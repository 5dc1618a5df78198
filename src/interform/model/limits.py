"""Limits the platforms state only in prose, as pure checks shared by the two places
that enforce them: `interform validate` (on the definition, at its YAML line) and the
plan (on each request body about to be sent).

Instaview's `POST /interviews`: `scheduleTime` in the future and "max 30 days in
future"; `metadata` "max 10KB, 5 levels deep, 50 keys". Whether nested keys count
towards the 50 is not said: interform counts keys at every level and a list as a level,
so what it lets through is within the limits however Instaview reads them. The ownership
marker interform adds (`metadata.interform`) counts like any other key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

INSTAVIEW_SCHEDULE_WINDOW: Final = timedelta(days=30)
INSTAVIEW_METADATA_MAX_BYTES: Final = 10 * 1024
INSTAVIEW_METADATA_MAX_DEPTH: Final = 5
INSTAVIEW_METADATA_MAX_KEYS: Final = 50


@dataclass(frozen=True)
class Breach:
    """One limit a value breaks: what is wrong and how to fix it."""

    message: str
    fix: str


def instaview_schedule(when: datetime, now: datetime) -> Breach | None:
    """`when` (time-zone aware) against Instaview's scheduling window at `now`."""
    if when <= now:
        return Breach(
            f"is in the past ({_iso(when)})",
            "remove schedule_time to start at once, or pick a time within the next 30 days",
        )
    if when - now > INSTAVIEW_SCHEDULE_WINDOW:
        return Breach(
            f"is more than 30 days ahead ({_iso(when)})",
            "Instaview schedules at most 30 days ahead: pick an earlier time",
        )
    return None


def instaview_metadata(sent: Mapping[str, Any]) -> list[Breach]:
    """What the metadata as sent (the ownership marker included) breaks."""
    found = []
    size = len(json.dumps(sent, ensure_ascii=False, separators=(",", ":")).encode())
    if size > INSTAVIEW_METADATA_MAX_BYTES:
        found.append(
            Breach(
                f"is {size:,} bytes as JSON with interform's ownership marker; Instaview "
                "allows 10 KB (10,240 bytes)",
                "shorten or remove values",
            )
        )
    depth, keys = _shape(sent)
    if depth > INSTAVIEW_METADATA_MAX_DEPTH:
        found.append(
            Breach(
                f"nests {depth} levels; Instaview allows {INSTAVIEW_METADATA_MAX_DEPTH}",
                "flatten the deepest values",
            )
        )
    if keys > INSTAVIEW_METADATA_MAX_KEYS:
        found.append(
            Breach(
                f"has {keys} keys counted at every level, interform's ownership marker "
                f"included; Instaview allows {INSTAVIEW_METADATA_MAX_KEYS}",
                f"keep at most {INSTAVIEW_METADATA_MAX_KEYS - 1} keys of your own",
            )
        )
    return found


def _shape(value: Any) -> tuple[int, int]:
    """(nesting depth, keys at every level) of a JSON value; a list is a level too."""
    if isinstance(value, Mapping):
        inner = [_shape(v) for v in value.values()]
        return 1 + max((d for d, _ in inner), default=0), len(value) + sum(k for _, k in inner)
    if isinstance(value, list):
        inner = [_shape(v) for v in value]
        return 1 + max((d for d, _ in inner), default=0), sum(k for _, k in inner)
    return 0, 0


def _iso(moment: datetime) -> str:
    """As written, UTC spelled Z."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
