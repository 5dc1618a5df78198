"""Client-side request budget per target: a token bucket per window, plus the platform's
own `X-RateLimit-Remaining-*` / `X-RateLimit-Reset-*` hints (Instaview documents both).

Thread-safe: apply shares one limiter between all workers of a target.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping


class _Bucket:
    def __init__(self, capacity: int, window: float, now: float) -> None:
        self.capacity = capacity
        self.rate = capacity / window  # tokens per second
        self.tokens = float(capacity)
        self.stamp = now

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self) -> float:
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class RateLimiter:
    def __init__(
        self,
        per_minute: int | None = None,
        per_hour: int | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        now = clock()
        self._buckets = [
            _Bucket(n, w, now) for n, w in ((per_minute, 60.0), (per_hour, 3600.0)) if n
        ]
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until one request may be sent, then take its token."""
        while True:
            with self._lock:
                now = self.clock()
                for b in self._buckets:
                    b.refill(now)
                wait = max([self._paused_until - now, *(b.wait_time() for b in self._buckets)])
                if wait <= 0:
                    for b in self._buckets:
                        b.tokens -= 1
                    return
            self.sleep(wait)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Pause everyone when the platform says a window is used up."""
        for window in ("Minute", "Hour"):
            remaining = headers.get(f"X-RateLimit-Remaining-{window}")
            reset = headers.get(f"X-RateLimit-Reset-{window}")
            if remaining is None or reset is None:
                continue
            try:
                left, reset_in = int(remaining), _seconds_until(reset)
            except ValueError:
                continue
            if left <= 0:
                with self._lock:
                    self._paused_until = max(self._paused_until, self.clock() + reset_in)


def _seconds_until(reset: str) -> float:
    """Reset headers are seconds-from-now or a Unix time; both are seen in the wild."""
    value = float(reset)
    if value > 1e9:  # an epoch timestamp
        return max(0.0, value - time.time())
    return max(0.0, value)
