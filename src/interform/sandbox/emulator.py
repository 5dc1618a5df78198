"""What every platform emulator shares: routing, authentication into an account, body
parsing, validation against the request schemas the plan uses, and the error envelope.

A subclass declares its routes and how the platform words errors; handlers receive a
`Call` holding the parsed body and the account, inside the account's read or write
section, and return a `Response` or raise `Reject`.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ClassVar

from interform.providers.base import BodyProblem
from interform.sandbox.accounts import account_name
from interform.sandbox.store import Account, Obj, PlatformStore
from interform.sandbox.wire import Reject, Request, Response, gateway_error

Handler = Callable[["Call"], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str  # "/interview/{id}"
    handler: Handler
    schema: str | None = None  # request schema in interform/data/providers
    # cross-field rules checked before the schema, answered in the platform's own words
    rules: Callable[[Any], list[str]] | None = None
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        source = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.pattern)
        object.__setattr__(self, "regex", re.compile(f"^{source}/?$"))


@dataclass
class Call:
    """One authenticated request routed to a handler."""

    request: Request
    params: dict[str, str]
    body: Any
    account: Account
    now: float  # Unix time

    def query(self, name: str) -> str | None:
        return self.request.query.get(name)


@dataclass(frozen=True)
class Summary:
    """One object as `interform sandbox show` lists it."""

    name: str
    status: str = ""
    links: dict[str, str] = field(default_factory=dict)


class Emulator(ABC):
    platform: ClassVar[str]
    # path prefixes of the platform's default base URL (JobMojito's /functions/v1)
    base_paths: ClassVar[tuple[str, ...]] = ()

    def __init__(self, state_dir: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.state_dir = state_dir
        self.store = PlatformStore(state_dir / self.platform, self.platform)
        self.clock = clock
        self._routes = self.routes()

    # ------------------------------------------------------------------ per platform

    @abstractmethod
    def routes(self) -> list[Route]: ...

    @abstractmethod
    def credential(self, request: Request) -> str:
        """The key the request presents; raise Reject (401 in the platform's shape)."""

    @abstractmethod
    def error(self, status: int, message: str, *, name: str | None = None) -> Response:
        """An error in the platform's envelope; `name` is the field at fault, if any."""

    @abstractmethod
    def invalid(self, problems: list[BodyProblem]) -> Response:
        """The platform's answer to a body that breaks its request schema."""

    @abstractmethod
    def summarize(self, kind: str, obj: Obj) -> Summary: ...

    def no_route(self, request: Request, path: str, known_path: bool) -> Response:
        if known_path:
            return self.error(405, "Method Not Allowed")
        return self.error(404, "Not Found")

    def admit(self, account: Account, rate_limit: tuple[int, int] | None) -> dict[str, str]:
        """Headers to add to every authenticated answer; may Reject (rate limits)."""
        return {}

    def server_error(self) -> Response:
        return self.error(500, "Internal Server Error")

    def throttled(self, retry_after: float) -> Response:
        response = self.error(429, "Too Many Requests")
        response.headers["Retry-After"] = str(max(1, round(retry_after)))
        return response

    def fault(self, status: int) -> Response:
        """An injected failure: the platform's own 500, a gateway's 502/503."""
        return self.server_error() if status == 500 else gateway_error(status)

    # ------------------------------------------------------------------ the paging fault

    # the query parameter that walks through a listing (`page` or `offset`)
    paging_parameter: ClassVar[str | None] = None

    def is_listing(self, request: Request) -> bool:
        """A read that walks through a list: interform always sends the position."""
        return request.method == "GET" and self.paging_parameter in request.query

    def first_page(self, query: Mapping[str, str]) -> dict[str, str]:
        """The query without its position: a server that ignores it (`paging=stuck`)."""
        return {k: v for k, v in query.items() if k != self.paging_parameter}

    def promise_more(self, body: Any) -> None:
        """Make a listing's answer say that another page follows (`paging`). Platforms
        that end at a short page have nothing to say it with."""
        return None  # the default: nothing to say it with, not an abstract method

    # ------------------------------------------------------------------ dispatch

    def handle(self, request: Request, *, rate_limit: tuple[int, int] | None = None) -> Response:
        path = self.relative(request.path)
        route, params, known = self._match(request.method, path)
        if route is None:
            return self.no_route(request, path, known)
        extra: dict[str, str] = {}
        try:
            account = self.store.account(account_name(self.credential(request)))
            extra = self.admit(account, rate_limit)
            body = self.parse(route, request)
            section = account.writing() if request.mutating else account.reading()
            with section:
                response = route.handler(Call(request, params, body, account, self.clock()))
        except Reject as rejected:
            response = rejected.response
        response.headers.update(extra)
        return response

    def relative(self, path: str) -> str:
        for prefix in (f"/{self.platform}", *self.base_paths):
            if path == prefix or path.startswith(prefix + "/"):
                path = path[len(prefix) :] or "/"
        return path

    def _match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        known = False
        for route in self._routes:
            found = route.regex.match(path)
            if found:
                if route.method == method:
                    return route, found.groupdict(), True
                known = True
        return None, {}, known

    def parse(self, route: Route, request: Request) -> Any:
        if request.method in ("GET", "DELETE") and not request.body:
            return None
        try:
            body = json.loads(request.body) if request.body else None
        except ValueError:
            raise Reject(self.bad_json()) from None
        broken = route.rules(body) if route.rules is not None and body is not None else []
        if broken:
            raise Reject(self.broken(broken))
        if route.schema is not None:
            found = schema_problems(route.schema, body)
            if found:
                raise Reject(self.invalid(found))
        return body

    def broken(self, rules: list[str]) -> Response:
        """The answer to a body breaking cross-field rules (XOR and the like)."""
        return self.error(400, "; ".join(rules))

    def bad_json(self) -> Response:
        return self.error(400, "Unexpected token in JSON body")

    def reject(self, status: int, message: str, name: str | None = None) -> Reject:
        return Reject(self.error(status, message, name=name))

    def close(self) -> None:
        self.store.close()


def schema_problems(name: str, body: Any) -> list[BodyProblem]:
    """`body` checked against a shipped request schema; [] when the schema is not shipped.
    The compiled check answers for valid bodies; jsonschema words the problems."""
    from interform.providers import schemas

    try:
        return schemas.problems(name, body)
    except KeyError:
        return []


def missing_schemas(emulator: Emulator) -> list[str]:
    """Request schemas the routes name that the package does not ship."""
    from interform.providers import schemas

    shipped = set(schemas.names())
    return sorted({r.schema for r in emulator.routes() if r.schema and r.schema not in shipped})


# ---------------------------------------------------------------------- helpers


def new_id() -> str:
    return str(uuid.uuid4())


def is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def iso(now: float, *, millis: bool = True) -> str:
    """`2026-01-15T09:30:00.000Z` (JavaScript's toISOString, used by most platforms)."""
    moment = datetime.fromtimestamp(now, timezone.utc)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{moment.microsecond // 1000:03d}Z" if millis else f"{text}Z"


def drop_none(obj: Obj) -> Obj:
    return {k: v for k, v in obj.items() if v is not None}
