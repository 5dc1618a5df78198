"""Instaview error bodies → (message, code, error class), so errors carry its own words.

Two envelopes are documented and both are in use: the error-handling guide's
`{success: false, error: {code, message, details}}` (authentication, permissions, missing
resources) and NestJS's `{statusCode, message, error}` (validation, where `message` may be
a list, and 429s, which add `retryAfter`/`limit`/`remaining`/`reset`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from interform.providers.errors import AuthError, NotFound, ProviderError, RequestRejected

if TYPE_CHECKING:
    import httpx

    from interform.providers.http import ParsedError

_AUTH_CODES = frozenset(
    {"INVALID_API_KEY", "API_KEY_SUSPENDED", "API_KEY_EXPIRED", "INSUFFICIENT_PERMISSIONS"}
)
# a 403 on interview create also means "billing limit exceeded": not a credential problem
_BILLING_WORDS = ("billing", "minutes", "insufficient balance", "quota")


def parse_error(response: httpx.Response) -> ParsedError:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, Mapping):
        return (response.text[:300] or response.reason_phrase, None, None)
    error = body.get("error")
    if isinstance(error, Mapping):
        return _guide_envelope(error, response.status_code)
    return _nest_envelope(body, response)


def _guide_envelope(error: Mapping[str, Any], status: int) -> ParsedError:
    code = error.get("code") if isinstance(error.get("code"), str) else None
    message = _text(error.get("message")) or code or f"HTTP {status}"
    details = _text(error.get("details"))
    if details and details != message:
        message = f"{message} ({details})"
    return (message, code, _override(code, message, status))


def _nest_envelope(body: Mapping[str, Any], response: httpx.Response) -> ParsedError:
    reason = body.get("error")
    code = reason if isinstance(reason, str) else None
    message = _text(body.get("message")) or code or response.reason_phrase
    return (message, code, _override(None, message, response.status_code))


def _override(code: str | None, message: str, status: int) -> type[ProviderError] | None:
    if status == 403 and any(word in message.lower() for word in _BILLING_WORDS):
        return RequestRejected
    if code in _AUTH_CODES:
        return AuthError
    if code == "RESOURCE_NOT_FOUND":
        return NotFound
    return None


def _text(value: object) -> str:
    """A message that may be a string, a list of strings (NestJS validation) or absent."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return ""
