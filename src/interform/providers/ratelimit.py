"""Client-side request budget per target: a token bucket per window, plus the platform's
own `X-RateLimit-Remaining-*` / `X-RateLimit-Reset-*` hints (Instaview documents both)
and pauses ordered by a 429's `Retry-After`.

A pause the platform orders is kept only up to `max_wait`: a request that would have to
wait longer (a reset an hour away, in 2099, or "inf") fails at once with `WaitTooLong`
instead of parking the target. Waits for the target's own budget are the user's choice
and are made, as long as the run's --timeout allows. Long waits are announced once.

Thread-safe: apply shares one limiter between all workers of a target.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping

from interform import waiting

_WINDOWS = {"Minute": 60.0, "Hour": 3600.0}
# waits shorter than this are float rounding of a wait already made: sleeping them would
# not move a clock near 1e6 seconds at all, and the limiter would spin
_NEGLIGIBLE = 1e-6


class _Bucket:
    def __init__(self, capacity: int, window: float, now: float) -> None:
        self.capacity = capacity
        self.window = window
        self.rate = capacity / window  # tokens per second
        self.tokens = float(capacity)
        self.stamp = now

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self) -> float:
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class SleptClock:
    """Monotonic time that also counts every second slept through an injected `sleep`.

    With a fake sleep (tests, dry runs) the waits pass at once in real time; a limiter on
    the real clock alone would then spin until the real seconds went by. Taking the later
    of the real clock and the start plus the seconds slept is right for both a fake and a
    real sleep, and never moves backwards."""

    def __init__(self, sleep: Callable[[float], None]) -> None:
        self._sleep = sleep
        self._start = time.monotonic()
        self._slept = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return max(time.monotonic(), self._start + self._slept)

    def sleep(self, seconds: float) -> None:
        self._sleep(seconds)
        with self._lock:
            self._slept += max(seconds, 0.0)


def timekeeping(
    clock: Callable[[], float] | None, sleep: Callable[[float], None]
) -> tuple[Callable[[], float], Callable[[float], None]]:
    """A (clock, sleep) pair that agree: the real ones, the caller's own clock, or a
    `SleptClock` around an injected sleep. Share the pair between everything that waits
    for one target, so a wait made by one is seen by the others."""
    if clock is not None:
        return clock, sleep
    if sleep in (time.sleep, waiting.sleep):
        return time.monotonic, sleep
    slept = SleptClock(sleep)
    return slept.now, slept.sleep


class WaitTooLong(Exception):
    """The next request would have to wait longer than the target (or the run) allows."""


class RateLimiter:
    def __init__(
        self,
        per_minute: int | None = None,
        per_hour: int | None = None,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] = waiting.sleep,
        max_wait: float = math.inf,
        name: str = "the platform",
    ) -> None:
        """`clock` defaults to one that agrees with `sleep` (see `timekeeping`)."""
        self.clock, self.sleep = timekeeping(clock, sleep)
        self.max_wait = max_wait
        self.name = name
        now = self.clock()
        self._buckets = {
            name: _Bucket(n, window, now)
            for (name, window), n in zip(_WINDOWS.items(), (per_minute, per_hour), strict=True)
            if n
        }
        self._paused_until = 0.0
        self._pause_reason = ""
        self._announced_until = -math.inf
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until one request may be sent, then take its token. WaitTooLong when the
        platform's pause lasts longer than `max_wait`, or any wait outlasts the run."""
        while True:
            with self._lock:
                now = self.clock()
                wait = self._wait_time(now)
                if wait <= _NEGLIGIBLE:
                    for b in self._buckets.values():
                        b.tokens -= 1
                    return
                self._refuse_or_announce(now, wait)
            self.sleep(wait)

    def pause(self, seconds: float, reason: str = "Retry-After") -> None:
        """Hold every request for `seconds` (a 429's Retry-After applies to the key)."""
        with self._lock:
            self._pause(self.clock() + max(seconds, 0.0), reason)

    def _pause(self, until: float, reason: str) -> None:
        if until > self._paused_until:
            self._paused_until, self._pause_reason = until, reason

    def _refuse_or_announce(self, now: float, wait: float) -> None:
        paused = self._paused_until - now
        if paused >= wait - _NEGLIGIBLE and paused > self.max_wait:
            raise WaitTooLong(
                f"{self.name} allows no request until {waiting.until(paused)} "
                f"({self._pause_reason}), more than the {self.max_wait:g} s this target "
                "waits (max_wait) — try again later"
            )
        if wait > waiting.run_left():
            raise WaitTooLong(f"{self.name}'s rate limit needs a wait past the run's --timeout")
        if now + wait > self._announced_until + waiting.NOTICE_AFTER:
            self._announced_until = now + wait
            why = self._pause_reason if paused >= wait - _NEGLIGIBLE else "its rate_limit budget"
            waiting.announce(wait, f"{self.name}: rate limited ({why})")

    def observe(self, headers: Mapping[str, str]) -> None:
        """Follow the platform's own count: it also sees requests other clients made."""
        for name in _WINDOWS:
            remaining = headers.get(f"X-RateLimit-Remaining-{name}")
            reset = headers.get(f"X-RateLimit-Reset-{name}")
            if remaining is None:
                continue
            try:
                left = int(remaining)
                reset_in = _seconds_until(reset) if reset is not None else None
            except ValueError:
                continue
            with self._lock:
                bucket = self._buckets.get(name)
                if bucket is not None:
                    bucket.refill(self.clock())
                    bucket.tokens = min(bucket.tokens, float(max(left, 0)))
                if left <= 0 and reset_in is not None:
                    self._pause(self.clock() + reset_in, f"X-RateLimit-Reset-{name}")

    def _wait_time(self, now: float) -> float:
        for b in self._buckets.values():
            b.refill(now)
        return max([self._paused_until - now, *(b.wait_time() for b in self._buckets.values())])


def _seconds_until(reset: str) -> float:
    """Reset headers are seconds-from-now or a Unix time; both are seen in the wild.
    Infinity stays infinite (no cap accepts it); NaN is no reset at all (ValueError)."""
    value = float(reset)
    if math.isnan(value):
        raise ValueError("NaN")
    if value > 1e9:  # an epoch timestamp
        return max(0.0, value - time.time())
    return max(0.0, value)
