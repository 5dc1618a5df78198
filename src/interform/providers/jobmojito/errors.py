"""JobMojito error bodies `{error, name?}` → (message, field, error class).

JobMojito reports more than server faults as 500: authorization failures, and ids that
do not resolve (a template, knowledge base or language in the body; the position on
set-state). Those are not transient, so they are mapped to errors that are not retried.
A 401 means the access token (a JWT that expires) must be replaced: the message says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from interform.providers.errors import AuthError, NotFound, ProviderError, RequestRejected

if TYPE_CHECKING:
    import httpx

    from interform.providers.http import ParsedError

_AUTH_WORDS = ("not authorized", "unauthorized", "permission", "forbidden", "not allowed")
REFRESH_HINT = (
    "refresh the credentials: the JobMojito access token is missing, malformed or "
    "expired — put a fresh token in the target's credential environment variable"
)
# the field naming the interview itself: "not found" there is the interview missing
_POSITION_FIELDS = ("position_id", "interview_id")


def parse_error(response: httpx.Response) -> ParsedError:
    try:
        body = response.json()
    except ValueError:
        body = None
    message, field = _fields(body)
    status = response.status_code
    message = message or response.text[:300] or response.reason_phrase or f"HTTP {status}"
    if status == 401:
        return f"{message} ({REFRESH_HINT})", field, AuthError
    return message, field, _override(status, message, field)


def _fields(body: object) -> tuple[str, str | None]:
    if not isinstance(body, Mapping):
        return "", None
    error, field = body.get("error"), body.get("name")
    message = error if isinstance(error, str) else ""
    return message, field if isinstance(field, str) and field else None


def _override(status: int, message: str, field: str | None) -> type[ProviderError] | None:
    lowered = message.lower()
    if status >= 500 and any(word in lowered for word in _AUTH_WORDS):
        return AuthError
    if status >= 500 and "not found" in lowered:
        return NotFound if field in _POSITION_FIELDS else RequestRejected
    return None
