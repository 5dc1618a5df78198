"""Builds a ready-to-use adapter for one target: credential from the environment, an
`httpx.Client` with the target's timeout, rate limits, concurrency, retries, and the
platform's auth headers and error parser."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from interform import platforms, secrets, waiting
from interform.providers.errors import MissingCredential
from interform.providers.registry import provider_class

if TYPE_CHECKING:
    import httpx

    from interform.model.project import Target
    from interform.providers.base import Provider
    from interform.providers.ratelimit import RateLimiter


def credential_for(target_name: str, target: Target) -> str:
    """The target's credential from the environment variable it names."""
    variable = target.credential_variable()
    value = os.environ.get(variable, "").strip()
    if not value:
        raise MissingCredential(target_name, variable)
    return value


def open_provider(
    target_name: str,
    target: Target,
    *,
    transport: httpx.BaseTransport | None = None,
    credential: str | None = None,
    sleep: Callable[[float], None] = waiting.sleep,
    clock: Callable[[], float] | None = None,
) -> Provider:
    """An adapter bound to `target`; close it with `close_provider` (or use `opened`).

    `credential` overrides the environment (the sandbox passes its own); `transport`
    replaces the network (tests, the in-process sandbox); `sleep` is what retries and the
    rate limiter wait with, and `clock` what the limiter measures time with (by default
    one that sees every injected sleep pass, so a fake sleep never leaves it spinning)."""
    import httpx

    from interform.providers.bounded import install_deadlines
    from interform.providers.http import POOL_LIMITS, HttpSession, RetryPolicy
    from interform.providers.ratelimit import timekeeping

    clock, sleep = timekeeping(clock, sleep)
    cls = provider_class(target.provider)
    secret = credential if credential else credential_for(target_name, target)
    secrets.register(secret)
    client = httpx.Client(
        timeout=target.timeout,
        transport=transport,
        limits=POOL_LIMITS,
        params=_company_params(target),
    )
    install_deadlines(client)
    session = HttpSession(
        cls.name,
        client,
        target.base_url or cls.default_base_url,
        cls.auth_headers(secret),
        cls.parse_error,
        retry=RetryPolicy(budget=target.max_wait),
        limiter=_limiter(cls, target_name, target, clock, sleep),
        concurrency=target.concurrency,
        sleep=sleep,
        timeout=target.timeout,
        max_response_bytes=target.max_response_bytes,
        max_wait=target.max_wait,
    )
    return cls(target_name, target, session)


def _company_params(target: Target) -> dict[str, str]:
    """The query parameter every request of a partner key carries (validated in
    interform.yaml: only platforms with a `company_param` accept `company_id`)."""
    param = platforms.get(target.provider).company_param
    return {param: target.company_id} if param and target.company_id else {}


def close_provider(provider: Provider) -> None:
    provider.http.close()


@contextmanager
def opened(
    target_name: str,
    target: Target,
    *,
    transport: httpx.BaseTransport | None = None,
    credential: str | None = None,
    sleep: Callable[[float], None] = waiting.sleep,
    clock: Callable[[], float] | None = None,
) -> Iterator[Provider]:
    """`open_provider` as a context manager that closes the client afterwards."""
    provider = open_provider(
        target_name, target, transport=transport, credential=credential, sleep=sleep, clock=clock
    )
    try:
        yield provider
    finally:
        close_provider(provider)


def _limiter(
    cls: type[Provider],
    target_name: str,
    target: Target,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> RateLimiter:
    """Each window from the target when it sets one, else the platform's documented
    default. Always a limiter: even without buckets it follows 429s and rate headers."""
    from interform.providers.ratelimit import RateLimiter

    default_minute, default_hour = cls.default_rate_limit
    configured = target.rate_limit
    per_minute = configured.per_minute if configured and configured.per_minute else None
    per_hour = configured.per_hour if configured and configured.per_hour else None
    return RateLimiter(
        per_minute or default_minute,
        per_hour or default_hour,
        clock=clock,
        sleep=sleep,
        max_wait=target.max_wait,
        name=f"{cls.display_name} (target {target_name})",
    )
