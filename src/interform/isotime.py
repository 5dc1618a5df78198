"""ISO 8601 times as the platforms write them, shared by the Instaview adapter and the
sandbox emulator (both read `scheduleTime`-style values). Imports only the standard
library, so the emulator can use it without loading an adapter."""

from __future__ import annotations

from datetime import datetime, timezone


def parse_iso(text: object) -> datetime | None:
    """An ISO 8601 date or date-time (`Z` suffix included) as an aware datetime, or None
    when it is not one. A time without an offset is taken as UTC."""
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
