"""The one HTTP path of every adapter: auth header, timeouts, rate limits, retries, and
mapping of platform error bodies to typed errors.

Reads, updates and deletes are retried with exponential backoff and full jitter on 429,
5xx and connection errors, honouring Retry-After, within a bounded budget. A create is
retried only when the request provably did not take effect (429, or a connection that
was never established); anything else on a create raises an `uncertain` error.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timezone
from typing import Any

import httpx

from interform.providers.errors import (
    AuthError,
    NotFound,
    ProviderError,
    RateLimited,
    RequestRejected,
    ServerError,
    TransportError,
)
from interform.providers.ratelimit import RateLimiter
from interform.secrets import scrub

log = logging.getLogger("interform.http")

# (message, platform error code, optional error class overriding the status mapping)
ParsedError = tuple[str, str | None, type[ProviderError] | None]
ErrorParser = Callable[[httpx.Response], ParsedError]

# connection failures that happen before a byte of the request left: nothing took effect
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

# Keep-alive connections a client keeps, at least the most workers apply runs at once
# (--parallelism 256). httpx keeps 20 by default: past that, every request closes a
# connection and the next opens one (a TCP handshake here, a new thread in the sandbox
# server). The total is not capped here: workers and `concurrency` bound it.
MOST_WORKERS = 256
POOL_LIMITS = httpx.Limits(max_connections=None, max_keepalive_connections=MOST_WORKERS)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # tries in all, the first included
    base: float = 0.2  # seconds; doubles each retry
    cap: float = 10.0  # longest single backoff wait
    budget: float = 60.0  # most seconds spent waiting across retries of one request


def default_error_parser(response: httpx.Response) -> ParsedError:
    return (response.text[:300] or response.reason_phrase, None, None)


class HttpSession:
    """An `httpx.Client` bound to one target's base URL, credentials and budget."""

    def __init__(
        self,
        provider: str,
        client: httpx.Client,
        base_url: str,
        headers: Mapping[str, str],
        parse_error: ErrorParser = default_error_parser,
        *,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        concurrency: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.provider = provider
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers)
        self.parse_error = parse_error
        self.retry = retry or RetryPolicy()
        self.limiter = limiter
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._slots = threading.BoundedSemaphore(concurrency) if concurrency else None
        self._count_lock = threading.Lock()
        self.requests_sent = 0

    # ------------------------------------------------------------------ public

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        create: bool = False,
    ) -> httpx.Response:
        """Send with retries; return a 2xx response or raise a ProviderError subclass."""
        waited = 0.0
        for attempt in range(1, self.retry.attempts + 1):
            try:
                return self._send_once(method, path, json, params, create)
            except ProviderError as err:
                delay = self._retry_delay(err, attempt, create)
                if delay is None or waited + delay > self.retry.budget:
                    raise
                log.debug("%s %s: %s; retrying in %.2fs", method, path, err.describe(), delay)
                waited += delay
                self.sleep(delay)
        raise AssertionError("unreachable: the last attempt raises")

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """`request` and decode the body (None when empty). An undecodable answer to a
        create is uncertain: the object may exist although its id was not seen."""
        response = self.request(method, path, **kwargs)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as err:
            raise ServerError(
                self.provider,
                scrub(f"response is not JSON: {response.text[:200]!r}"),
                status=response.status_code,
                uncertain=bool(kwargs.get("create")),
            ) from err

    def close(self) -> None:
        self.client.close()

    # ------------------------------------------------------------------ internals

    def _send_once(
        self,
        method: str,
        path: str,
        body: Any,
        params: Mapping[str, Any] | None,
        create: bool,
    ) -> httpx.Response:
        if self.limiter:
            self.limiter.acquire()
        if self._slots:
            self._slots.acquire()
        started = time.monotonic()
        try:
            with self._count_lock:
                self.requests_sent += 1
            response = self.client.request(
                method, self.base_url + path, json=body, params=params, headers=self.headers
            )
        except httpx.TransportError as err:
            raise self._transport_error(err) from err
        finally:
            if self._slots:
                self._slots.release()
        log.debug(
            "%s %s -> %s in %.0f ms",
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        if self.limiter:
            self.limiter.observe(response.headers)
        if response.is_success:
            return response
        raise self._status_error(response, create)

    def _transport_error(self, err: httpx.TransportError) -> ProviderError:
        kind = "timed out" if isinstance(err, httpx.TimeoutException) else "connection failed"
        return TransportError(
            self.provider,
            scrub(f"{kind}: {err}" if str(err) else kind),
            retryable=True,
            uncertain=not isinstance(err, _NEVER_SENT),
            code=type(err).__name__,
        )

    def _status_error(self, response: httpx.Response, create: bool) -> ProviderError:
        status = response.status_code
        try:
            message, code, override = self.parse_error(response)
        except Exception:  # a malformed error body must not hide the status
            message, code, override = default_error_parser(response)
        cls = override or _class_for_status(status)
        retry_after = parse_retry_after(response)
        if cls is RateLimited and self.limiter and retry_after is not None:
            # every worker of this target waits, not only the one that was refused
            self.limiter.pause(retry_after)
        return cls(
            self.provider,
            scrub(message),
            status=status,
            code=code,
            retryable=cls in (RateLimited, ServerError),
            # a 5xx on a create may have committed before failing; a 429 was refused
            uncertain=create and cls is ServerError,
            retry_after=retry_after,
        )

    def _retry_delay(self, err: ProviderError, attempt: int, create: bool) -> float | None:
        if not err.retryable or attempt >= self.retry.attempts:
            return None
        if create and err.uncertain:
            return None  # never blindly repeat a create that may have happened
        if err.retry_after is not None:
            # the platform said when; a wait longer than the budget gives up (caller checks)
            return max(err.retry_after, 0.0)
        backoff = min(self.retry.cap, self.retry.base * 2 ** (attempt - 1))
        return self.rng.uniform(0, backoff)


def _class_for_status(status: int) -> type[ProviderError]:
    if status in (401, 403):
        return AuthError
    if status == 404:
        return NotFound
    if status == 429:
        return RateLimited
    if status >= 500:
        return ServerError
    return RequestRejected


def parse_retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait from `Retry-After`: delta-seconds or an HTTP-date (RFC 9110)."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": RFC 9110 dates are GMT whatever the zone says
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - time.time())
