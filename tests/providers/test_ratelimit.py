"""RateLimiter: token buckets per window, platform hints, pauses, and thread safety."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import pytest

from interform.providers.ratelimit import RateLimiter

if TYPE_CHECKING:
    from .conftest import FakeClock


def limiter(
    clock: FakeClock, per_minute: int | None = None, per_hour: int | None = None
) -> RateLimiter:
    return RateLimiter(per_minute, per_hour, clock=clock, sleep=clock.sleep)


def test_without_limits_nothing_waits(clock: FakeClock) -> None:
    rl = limiter(clock)
    for _ in range(1_000):
        rl.acquire()
    assert clock.sleeps == []


def test_a_full_bucket_allows_a_burst_then_paces(clock: FakeClock) -> None:
    rl = limiter(clock, per_minute=3)
    for _ in range(3):
        rl.acquire()
    assert clock.sleeps == []
    rl.acquire()
    assert clock.sleeps == [pytest.approx(20.0)]  # one token per 60/3 seconds
    rl.acquire()
    assert clock.sleeps[-1] == pytest.approx(20.0)


def test_the_tighter_window_binds(clock: FakeClock) -> None:
    rl = limiter(clock, per_minute=60, per_hour=30)
    for _ in range(30):
        rl.acquire()
    assert clock.sleeps == []
    rl.acquire()
    # the minute bucket still holds 30 tokens; the hour bucket refills one per 120 s
    assert clock.sleeps == [pytest.approx(120.0)]


def test_tokens_refill_with_time(clock: FakeClock) -> None:
    rl = limiter(clock, per_minute=2)
    rl.acquire()
    rl.acquire()
    clock.now += 60
    rl.acquire()
    rl.acquire()
    assert clock.sleeps == []


def test_remaining_zero_pauses_until_reset(clock: FakeClock) -> None:
    rl = limiter(clock)
    rl.observe({"X-RateLimit-Remaining-Hour": "0", "X-RateLimit-Reset-Hour": "90"})
    rl.acquire()
    assert clock.sleeps == [90.0]


def test_reset_given_as_a_unix_time(clock: FakeClock) -> None:
    rl = limiter(clock)
    rl.observe(
        {"X-RateLimit-Remaining-Minute": "0", "X-RateLimit-Reset-Minute": str(time.time() + 40)}
    )
    rl.acquire()
    (slept,) = clock.sleeps
    assert 38 <= slept <= 40


def test_remaining_above_zero_does_not_pause(clock: FakeClock) -> None:
    rl = limiter(clock)
    rl.observe({"X-RateLimit-Remaining-Minute": "5", "X-RateLimit-Reset-Minute": "30"})
    rl.acquire()
    assert clock.sleeps == []


def test_the_platforms_count_lowers_the_local_bucket(clock: FakeClock) -> None:
    # another client used most of the key's budget: we have 2 left, not 60
    rl = limiter(clock, per_minute=60)
    rl.observe({"X-RateLimit-Remaining-Minute": "2"})
    rl.acquire()
    rl.acquire()
    assert clock.sleeps == []
    rl.acquire()
    assert clock.sleeps == [pytest.approx(1.0)]


@pytest.mark.parametrize(
    "headers",
    [
        {"X-RateLimit-Remaining-Minute": "lots", "X-RateLimit-Reset-Minute": "30"},
        {"X-RateLimit-Remaining-Minute": "0", "X-RateLimit-Reset-Minute": "later"},
        {"X-RateLimit-Reset-Minute": "30"},
    ],
)
def test_unreadable_hints_are_ignored(clock: FakeClock, headers: dict[str, str]) -> None:
    rl = limiter(clock)
    rl.observe(headers)
    rl.acquire()
    assert clock.sleeps == []


def test_pause_holds_requests_and_never_shortens(clock: FakeClock) -> None:
    rl = limiter(clock)
    rl.pause(30)
    rl.pause(10)
    rl.acquire()
    assert clock.sleeps == [30.0]


class _Stop(Exception):
    pass


def test_tokens_are_never_granted_twice_across_threads() -> None:
    """50 tokens and no meaningful refill: exactly 50 of 200 acquires may pass."""

    def refuse_to_wait(seconds: float) -> None:
        raise _Stop

    rl = RateLimiter(per_hour=50, sleep=refuse_to_wait)
    granted: list[int] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        for _ in range(25):
            try:
                rl.acquire()
            except _Stop:
                continue
            granted.append(1)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted) == 50
