"""Versive error bodies (FastAPI) → (message, code, error class).

422 lists each problem as `{"detail": [{"loc", "msg", "type"}]}`; every other error is
`{"detail": "<message>"}` (401 "Not authenticated", 404 "Study not found").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from interform.providers.http import ParsedError


def parse_error(response: httpx.Response) -> ParsedError:
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = body.get("detail") if isinstance(body, Mapping) else None
    if isinstance(detail, str) and detail:
        return (detail, None, None)
    if isinstance(detail, list) and detail:
        items = [item for item in detail if isinstance(item, Mapping)]
        message = "; ".join(_describe(item) for item in items) or str(detail)[:300]
        code = items[0].get("type") if items else None
        return (message, code if isinstance(code, str) else None, None)
    return (response.text[:300] or response.reason_phrase, None, None)


def _describe(item: Mapping[str, object]) -> str:
    """`title: field required` from `{"loc": ["body", "title"], "msg": "field required"}`."""
    loc = item.get("loc")
    parts = [str(p) for p in loc] if isinstance(loc, list) else []
    if parts[:1] == ["body"]:
        parts = parts[1:]
    where = ".".join(parts)
    message = str(item.get("msg", "invalid"))
    return f"{where}: {message}" if where else message
