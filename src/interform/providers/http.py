"""The one HTTP path of every adapter: auth header, timeouts, rate limits, retries, and
mapping of platform error bodies to typed errors.

Reads, updates and deletes are retried with exponential backoff and full jitter on 429,
5xx and connection errors, honouring Retry-After, within a bounded budget. A create is
retried only when the request provably did not take effect (429, or a connection that
was never established). Any other answer to a create that is not a clear rejection (a
4xx) is uncertain: a 5xx, a redirect, a connection dropped after sending, and a 2xx
whose body is not a JSON object (empty, 204, `null`, `"ok"`, not JSON) — the object may
exist, so the caller must look for it instead of reporting a failure that invites a
second create.

Nothing a server says can stretch a request without bound (`bounded.py`): each attempt
has a deadline for the whole exchange, the answer a size cap, and no wait a platform
asks for (Retry-After, rate-limit resets) may exceed the target's `max_wait` — beyond
it the call fails with the platform's request and interform's limit in its message.
Every long wait is announced on stderr (`interform.waiting`).
"""

from __future__ import annotations

import email.utils
import logging
import math
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timezone
from typing import Any

import httpx

from interform import waiting
from interform.providers.bounded import (
    DEFAULT_MAX_RESPONSE_BYTES,
    IDENTITY,
    AnswerTooLarge,
    UnreadableAnswer,
    deadline_scope,
    read_bounded,
    rebuilt,
)
from interform.providers.errors import (
    AuthError,
    NotFound,
    ProviderError,
    RateLimited,
    RequestRejected,
    ServerError,
    TransportError,
)
from interform.providers.ratelimit import RateLimiter, WaitTooLong
from interform.secrets import scrub
from interform.untrusted import UntrustedInput, parse_json

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
        sleep: Callable[[float], None] = waiting.sleep,
        rng: random.Random | None = None,
        timeout: float = 30.0,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_wait: float = 60.0,
    ) -> None:
        self.provider = provider
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.headers = {**IDENTITY, **headers}
        self.timeout = timeout  # seconds for one whole exchange
        self.max_response_bytes = max_response_bytes
        self.max_wait = max_wait  # longest wait a platform may ask of this target
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
        started, waited = time.monotonic(), 0.0
        for attempt in range(1, self.retry.attempts + 1):
            try:
                return self._send_once(method, path, json, params, create)
            except ProviderError as err:
                delay = self._retry_delay(err, attempt, create)
                if delay is None:
                    raise
                if delay > self.max_wait or delay > waiting.run_left():
                    raise self._too_long(err, delay) from None
                # the budget counts the attempts' own time too: a server that answers
                # each one at its deadline is not retried for ever
                if waited + (time.monotonic() - started) + delay > self.retry.budget:
                    raise
                log.debug("%s %s: %s; retrying in %.2fs", method, path, err.describe(), delay)
                waited += delay
                waiting.announce(delay, f"{self.provider} to retry {method} {path} ({err.why()})")
                try:
                    self.sleep(delay)
                except waiting.WaitInterrupted:
                    raise err from None  # stopped before retrying: the last failure stands
        raise AssertionError("unreachable: the last attempt raises")

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """`request` and decode the body (None when empty). The answer to a create is
        always a JSON object: anything else is uncertain, since the object may exist
        although its id was not seen."""
        create = bool(kwargs.get("create"))
        response = self.request(method, path, **kwargs)
        if not response.content:
            if create:
                raise self._unusable(response, "answered without a body")
            return None
        try:
            decoded = parse_json(response.content)
        except UntrustedInput as err:
            raise ServerError(
                self.provider,
                f"response is not JSON ({err.message}): {response.text[:80]!r}",
                status=response.status_code,
                uncertain=create,
            ) from err
        if create and not isinstance(decoded, dict):
            raise self._unusable(response, f"answered {scrub(repr(decoded)[:100])}, not an object")
        return decoded

    def close(self) -> None:
        self.client.close()

    def _unusable(self, response: httpx.Response, what: str) -> ServerError:
        return ServerError(
            self.provider,
            f"{response.request.method} {response.request.url.path} {what}: the object may "
            "have been created",
            status=response.status_code,
            uncertain=True,
        )

    # ------------------------------------------------------------------ internals

    def _send_once(
        self,
        method: str,
        path: str,
        body: Any,
        params: Mapping[str, Any] | None,
        create: bool,
    ) -> httpx.Response:
        self._may_send(method, path)
        if self._slots:
            self._slots.acquire()
        started = time.monotonic()
        try:
            with self._count_lock:
                self.requests_sent += 1
            response = self._exchange(method, self.base_url + path, body, params)
        except httpx.TransportError as err:
            raise self._transport_error(err) from err
        except AnswerTooLarge as err:
            # the platform may have acted on it: a create stays uncertain
            message = f"{err} (the target's max_response_bytes)"
            raise ServerError(self.provider, message, uncertain=create) from err
        except UnreadableAnswer as err:
            raise ServerError(self.provider, str(err), uncertain=create) from err
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

    def _may_send(self, method: str, path: str) -> None:
        """Wait for the rate limiter; raise instead when the wait is longer than this
        target accepts, or when the run's --timeout is up (nothing is sent either way)."""
        try:
            waiting.check_run(f"{method} {path} was not sent")
        except waiting.RunTimedOut as err:
            raise TransportError(self.provider, str(err), code="run-timeout") from None
        if self.limiter:
            try:
                self.limiter.acquire()
            except WaitTooLong as err:
                raise RateLimited(self.provider, f"{method} {path} was not sent: {err}") from None
            except waiting.WaitInterrupted:
                message = f"{method} {path} was not sent: interrupted while rate limited"
                raise TransportError(self.provider, message, code="interrupted") from None

    def _exchange(
        self, method: str, url: str, body: Any, params: Mapping[str, Any] | None
    ) -> httpx.Response:
        """One request and its whole answer, by the request's deadline and within the
        size cap (see `bounded.py`)."""
        deadline = waiting.clip_to_run(time.monotonic() + self.timeout)
        request = self.client.build_request(
            method, url, json=body, params=params, headers=self.headers
        )
        with deadline_scope(deadline):
            response = self.client.send(request, stream=True)
            try:
                content = read_bounded(response, self.max_response_bytes, deadline)
            finally:
                response.close()
        return rebuilt(response, content)

    def _too_long(self, err: ProviderError, delay: float) -> ProviderError:
        """`err` reworded: the platform asked for a wait this run will not make."""
        limit = (
            f"more than the {self.max_wait:g} s this target waits (max_wait)"
            if delay > self.max_wait
            else "past the run's --timeout"
        )
        wait = "the platform asks to wait" if err.retry_after is not None else "a retry would wait"
        message = (
            f"{err.message}; {wait} {_seconds(delay)} "
            f"(until {waiting.until(delay)}), {limit} — try again later"
        )
        return type(err)(
            err.provider,
            message,
            status=err.status,
            code=err.code,
            uncertain=err.uncertain,
            retry_after=err.retry_after,
        )

    def _transport_error(self, err: httpx.TransportError) -> ProviderError:
        if isinstance(err, httpx.TimeoutException):
            # per byte or for the whole exchange: either way the deadline is the timeout
            text = f"timed out: no complete answer within {self.timeout:g} s (timeout)"
            if isinstance(err, _NEVER_SENT):
                text = f"timed out connecting, after {self.timeout:g} s (timeout)"
            if waiting.run_left() <= 0:
                text = "timed out: the run's --timeout is up"
        else:
            text = f"connection failed: {err}" if str(err) else "connection failed"
        return TransportError(
            self.provider,
            text,
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
        if 300 <= status < 400:
            where = response.headers.get("Location", "elsewhere")
            message = (
                f"redirected to {where[:200]}; interform does not follow redirects "
                "(set base_url to the address that answers)"
            )
        cls = override or _class_for_status(status)
        if create and response.is_redirect:
            # a proxy or gateway answered in the platform's place (or a POST-redirect-GET
            # after the create): not the platform refusing it, so the create is uncertain
            cls = ServerError
        retry_after = parse_retry_after(response)
        if cls is RateLimited and self.limiter and retry_after is not None:
            # every worker of this target waits, not only the one that was refused (a
            # wait past max_wait makes them fail at once instead: see RateLimiter)
            self.limiter.pause(retry_after, "Retry-After")
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


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if math.isfinite(value) else "for ever"


def parse_retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait from `Retry-After`: delta-seconds or an HTTP-date (RFC 9110).
    Infinity stays infinite (every cap refuses it); NaN and nonsense are ignored."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
        return None if math.isnan(seconds) else max(0.0, seconds)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": RFC 9110 dates are GMT whatever the zone says
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - time.time())
