"""Typed errors for platform responses. Each carries the platform's own message.

`uncertain` means the request may have taken effect even though we saw no success
(timeout after sending, connection dropped mid-response, 5xx on a create). The apply
engine never retries an uncertain create; it resolves it through `Provider.find`.
"""

from __future__ import annotations

import re

from interform.secrets import scrub

# a platform's words are printed and stored: one line, printable, and not a novel
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_MESSAGE = 500


def printable(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` as one printable line: control characters (terminal escapes, newlines)
    written as escapes, cut at `limit` characters, credentials masked."""
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
    if len(text) > limit:
        text = text[:limit] + f"… ({len(text) - limit:,} more characters)"
    return scrub(text)


class ProviderError(Exception):
    def __init__(
        self,
        provider: str,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        retryable: bool = False,
        uncertain: bool = False,
        retry_after: float | None = None,
    ) -> None:
        self.provider = provider
        self.message = printable(message)
        self.status = status
        self.code = code
        self.retryable = retryable
        self.uncertain = uncertain
        self.retry_after = retry_after
        super().__init__(self.describe())

    def why(self) -> str:
        """A few words for a log or a notice: `HTTP 503`, `ReadTimeout`."""
        return f"HTTP {self.status}" if self.status else (self.code or "no response")

    def describe(self) -> str:
        status = f"HTTP {self.status}" if self.status else ""
        if not status and isinstance(self, TransportError):
            status = "no response"
        head = " ".join(part for part in (status, self.code) if part)
        return (
            f"{self.provider}: {head}: {self.message}"
            if head
            else f"{self.provider}: {self.message}"
        )


class AuthError(ProviderError):
    """401/403 (and JobMojito authorization failures reported as 500)."""


class NotFound(ProviderError):
    pass


class RateLimited(ProviderError):
    pass


class RequestRejected(ProviderError):
    """400/422: the platform refused the body; not retryable."""


class ServerError(ProviderError):
    pass


class TransportError(ProviderError):
    """Connection refused/reset, timeouts: no HTTP response."""


class Unsupported(ProviderError):
    """The platform has no endpoint for this operation."""


class MissingCredential(Exception):
    """The environment variable a target names is not set (a user error)."""

    def __init__(self, target: str, variable: str) -> None:
        self.target = target
        self.variable = variable
        super().__init__(
            f"target {target!r} needs a credential: environment variable {variable} is not set"
        )
