"""Fixtures shared by the provider tests: a fake clock that sleeps instantly, HTTP sessions
over `httpx.MockTransport`, and adapters over a fake server.

Kept platform-neutral: every adapter's tests use these beside their own stateful fakes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from interform import secrets
from interform.providers.base import Provider
from interform.providers.http import ErrorParser, HttpSession, RetryPolicy, default_error_parser
from interform.providers.ratelimit import RateLimiter

from .adapter_support import target_named

Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeClock:
    """Monotonic time that only moves when someone sleeps; records every sleep."""

    now: float = 1_000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


SessionFactory = Callable[..., HttpSession]


@pytest.fixture
def make_session(clock: FakeClock) -> Iterator[SessionFactory]:
    """Build an HttpSession around a handler; waits go to the fake clock."""
    opened: list[HttpSession] = []

    def make(
        handler: Handler,
        *,
        headers: dict[str, str] | None = None,
        parse_error: ErrorParser = default_error_parser,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        concurrency: int | None = None,
        base_url: str = "https://api.example.test/v1",
        **bounds: Any,
    ) -> HttpSession:
        """`bounds`: HttpSession's timeout, max_response_bytes, max_wait."""
        session = HttpSession(
            "example",
            httpx.Client(transport=httpx.MockTransport(handler)),
            base_url,
            headers or {},
            parse_error,
            retry=retry,
            limiter=limiter,
            concurrency=concurrency,
            sleep=clock.sleep,
            rng=random.Random(7),
            **bounds,
        )
        opened.append(session)
        return session

    yield make
    for session in opened:
        session.close()


AdapterFactory = Callable[..., Any]


@pytest.fixture
def adapter(make_session: SessionFactory) -> AdapterFactory:
    """`adapter(cls, server, credential, target_name, **session_options)`: the adapter
    class over a fake server, wired as the factory wires it (its auth headers, error
    parser and base URL)."""

    def make(
        cls: type[Provider], server: Handler, credential: str, target_name: str, **options: Any
    ) -> Provider:
        http = make_session(
            server,
            headers=cls.auth_headers(credential),
            parse_error=cls.parse_error,
            base_url=cls.default_base_url,
            **options,
        )
        return cls(target_name, target_named(cls.name), http)

    return make


@pytest.fixture
def credential() -> str:
    """A distinctive credential; tests assert it never shows up anywhere."""
    value = "sk_test_c0ffee5ecret9911"
    secrets.register(value)
    return value
