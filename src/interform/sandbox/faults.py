"""Fault injection for the sandbox: latency, failures, throttling, dropped responses.

One `Faults` value configures both ways in (the in-process transport and the HTTP
server). Its string form is what `--faults` and `INTERFORM_SANDBOX_FAULTS` take:

    latency=50ms,jitter=5ms,error=0.05,rate429=0.02,reset=0.01,timeout=0.01,
    commit-drop=0.02,seed=42

Every request draws at most one failure: `error` (a 500, 502 or 503), `rate429` (429 with
Retry-After), `reset` (the connection is cut before the request is executed), `timeout`
(no answer; nothing executed) or `commit-drop` (the request IS executed, then the client
sees an error, a reset or a timeout — the case that makes naive tools create twice).
`paging` breaks listings instead, on every list request: `endless` answers always say
another page follows (past the end, pages are empty), `stuck` also ignores the page or
offset asked for (every page is the first).
Latency applies to every request; failures apply to every request unless
`scope=mutating` restricts them to POST/PUT/PATCH/DELETE. `commit-drop` only ever hits
mutating requests (a read has nothing to commit).

Decisions are a function of the seed and of the request itself (platform, method, path,
query, body, and how many times that same request was seen before), never of thread
timing: the same run with the same seed meets the same faults.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import threading
from dataclasses import dataclass, fields
from enum import Enum
from typing import Literal

from interform.errors import Problem, UserError

ENV_FAULTS = "INTERFORM_SANDBOX_FAULTS"

Scope = Literal["all", "mutating"]
DropMode = Literal["any", "error", "reset", "timeout"]
Paging = Literal["", "endless", "stuck"]  # "": listings behave

# probability options, in the order a request's draw is matched against them
_SHARES = ("error", "rate429", "reset", "timeout", "commit_drop")
_DURATIONS = ("latency", "jitter", "retry_after", "hold")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m)$")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0}
# the string form says `limit`, the field is `rate_limit`
_FIELD_OF = {"limit": "rate_limit"}
_NAME_OF = {v: k for k, v in _FIELD_OF.items()}


@dataclass(frozen=True)
class Faults:
    """What can go wrong between the client and an emulated platform.

    `rate_limit` is not a fault but a knob of the emulated Instaview keys: requests per
    minute and per hour (None: the documented 60/min and 2,000/h; (0, 0): unlimited).
    """

    latency: float = 0.0  # seconds added to every request
    jitter: float = 0.0  # latency varies uniformly within ± jitter
    error: float = 0.0  # share of 500/502/503 answers
    rate429: float = 0.0  # share of 429 answers with Retry-After
    reset: float = 0.0  # share of connections cut, request not executed
    timeout: float = 0.0  # share of requests never answered, not executed
    commit_drop: float = 0.0  # share of mutating requests executed, then not answered
    seed: int | None = None  # None: a random seed, reported by `describe()`
    retry_after: float = 1.0  # seconds in Retry-After of injected 429s
    hold: float = 60.0  # served timeouts: how long the connection is held open
    scope: Scope = "all"
    drop: DropMode = "any"  # what the client sees on commit-drop
    rate_limit: tuple[int, int] | None = None
    paging: Paging = ""  # listings that never say they are done (see the module's text)

    @classmethod
    def parse(cls, text: str, source: str = "--faults") -> Faults:
        """Parse the comma-separated form; every bad item is reported at once."""
        values: dict[str, object] = {}
        problems: list[Problem] = []
        for item in filter(None, (part.strip() for part in text.split(","))):
            key, sep, raw = item.partition("=")
            name = key.strip().replace("-", "_")
            field = _FIELD_OF.get(name, name)
            try:
                if not sep:
                    raise ValueError("expected key=value")
                if field in values:
                    raise ValueError("given twice")
                values[field] = _convert(name, raw.strip())
            except ValueError as err:
                problems.append(Problem(source, 0, 0, f"{item!r}: {err}", _FIX))
        faults = cls(**values) if not problems else cls()  # type: ignore[arg-type]
        if not problems and faults.failure_share() > 1:
            problems.append(Problem(source, 0, 0, "the failure shares add up to more than 1", _FIX))
        if problems:
            raise UserError(problems)
        return faults

    @classmethod
    def from_env(cls) -> Faults:
        """Faults named by INTERFORM_SANDBOX_FAULTS (none when it is unset or empty)."""
        return cls.parse(os.environ.get(ENV_FAULTS, ""), source=ENV_FAULTS)

    def failure_share(self) -> float:
        return float(sum(getattr(self, name) for name in _SHARES))

    def __str__(self) -> str:
        """The canonical string form (defaults left out); parses back to an equal value."""
        default = Faults()
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            name = _NAME_OF.get(f.name, f.name).replace("_", "-")
            parts.append(f"{name}={_format(f.name, value)}")
        return ",".join(parts)


_FIX = (
    "use key=value pairs separated by commas, e.g. latency=50ms,jitter=5ms,error=0.05,"
    "rate429=0.02,reset=0.01,timeout=0.01,commit-drop=0.02,seed=42 (also retry-after=1s, "
    "hold=60s, scope=all|mutating, drop=any|error|reset|timeout, limit=PER_MIN/PER_HOUR|off, "
    "paging=endless|stuck)"
)


def _convert(name: str, raw: str) -> object:
    if name in _SHARES:
        return _share(raw)
    if name in _DURATIONS:
        return _duration(raw)
    if name == "seed":
        return int(raw)
    if name == "scope":
        return _choice(raw, ("all", "mutating"))
    if name == "drop":
        return _choice(raw, ("any", "error", "reset", "timeout"))
    if name == "limit":
        return _limit(raw)
    if name == "paging":
        return _choice(raw, ("endless", "stuck"))
    raise ValueError("unknown option")


def _share(raw: str) -> float:
    value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    if not 0 <= value <= 1:
        raise ValueError("must be between 0 and 1 (or 0% and 100%)")
    return value


def _duration(raw: str) -> float:
    match = _DURATION.match(raw)
    if not match:
        raise ValueError("must be a duration with a unit, e.g. 50ms, 1.5s or 2m")
    return float(match[1]) * _UNIT[match[2]]


def _choice(raw: str, options: tuple[str, ...]) -> str:
    if raw not in options:
        raise ValueError(f"must be one of {', '.join(options)}")
    return raw


def _limit(raw: str) -> tuple[int, int]:
    if raw == "off":
        return (0, 0)
    minute, sep, hour = raw.partition("/")
    if not sep or not minute.isdigit() or not hour.isdigit():
        raise ValueError("must be PER_MINUTE/PER_HOUR (e.g. 600/20000) or off")
    return (int(minute), int(hour))


def _format(name: str, value: object) -> str:
    if name in _DURATIONS and isinstance(value, float):
        return f"{value * 1000:g}ms"
    if name == "rate_limit" and isinstance(value, tuple):
        return "off" if value == (0, 0) else f"{value[0]}/{value[1]}"
    return f"{value:g}" if isinstance(value, float) else str(value)


class Outcome(str, Enum):
    NONE = "none"
    ERROR = "error"
    RATE429 = "rate429"
    RESET = "reset"
    TIMEOUT = "timeout"
    COMMIT_DROP = "commit-drop"


@dataclass(frozen=True)
class Decision:
    """What happens to one request."""

    delay: float = 0.0
    outcome: Outcome = Outcome.NONE
    status: int = 0  # ERROR: 500, 502 or 503
    drop: str = ""  # COMMIT_DROP: "error", "reset" or "timeout"


MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Injector:
    """Draws a `Decision` per request from the faults; thread-safe."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self.seed = (
            faults.seed if faults.seed is not None else random.SystemRandom().getrandbits(32)
        )
        self._seen: dict[bytes, int] = {}
        self._lock = threading.Lock()

    def describe(self) -> str:
        """The faults with the seed in use, so that any run can be replayed."""
        text = str(self.faults)
        if self.faults.seed is None and (self.faults.failure_share() or self.faults.jitter):
            text = f"{text},seed={self.seed}"
        return text or "none"

    def decide(self, platform: str, method: str, path: str, query: str, body: bytes) -> Decision:
        faults = self.faults
        if not (faults.latency or faults.jitter or faults.failure_share()):
            return Decision()
        rng = self._rng(platform, method, path, query, body)
        delay = max(0.0, faults.latency + rng.uniform(-faults.jitter, faults.jitter))
        mutating = method in MUTATING
        if faults.scope == "mutating" and not mutating:
            return Decision(delay)
        draw = rng.random()
        for name in _SHARES:
            share: float = getattr(faults, name)
            if draw < share:
                return self._failure(name, mutating, rng, delay)
            draw -= share
        return Decision(delay)

    def _failure(self, name: str, mutating: bool, rng: random.Random, delay: float) -> Decision:
        if name == "error":
            return Decision(delay, Outcome.ERROR, status=rng.choice((500, 502, 503)))
        if name == "commit_drop":
            if not mutating:
                return Decision(delay)
            mode = self.faults.drop
            drop = rng.choice(("error", "reset", "timeout")) if mode == "any" else mode
            return Decision(delay, Outcome.COMMIT_DROP, drop=drop)
        return Decision(delay, Outcome(name))

    def _rng(self, platform: str, method: str, path: str, query: str, body: bytes) -> random.Random:
        digest = hashlib.sha256(
            b"\0".join((platform.encode(), method.encode(), path.encode(), query.encode(), body))
        ).digest()
        with self._lock:
            seen = self._seen.get(digest, 0)
            self._seen[digest] = seen + 1
        seed = hashlib.sha256(f"{self.seed}:{seen}:".encode() + digest).digest()
        return random.Random(int.from_bytes(seed[:8], "big"))
