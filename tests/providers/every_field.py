"""What the every-field contract tests share: the sandbox served over real HTTP on a
loopback port, with every request each emulator answers recorded, and the CLI run
against it as an operator runs it: a real `interform` process (`-C project`,
credentials from the environment).

The recording is a subclass of each emulator (the same stateful fake the sandbox
serves), so the requests checked are exactly the bytes interform sent."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from e2e import harness
from interform.providers import schemas
from interform.sandbox import registry
from interform.sandbox.emulator import Emulator
from interform.sandbox.faults import Faults
from interform.sandbox.server import SandboxServer
from interform.sandbox.wire import Request, Response

ACCOUNT = "every-field"
WRITES = ("POST", "PUT", "PATCH")


@dataclass(frozen=True)
class Sent:
    platform: str
    method: str
    path: str  # relative to the platform's base path
    body: Any  # parsed JSON, None for a body-less request
    status: int
    schema: str | None  # the request schema of the route, None for reads


@dataclass
class Recorded:
    requests: list[Sent] = field(default_factory=list)

    def since(self, mark: int) -> list[Sent]:
        return self.requests[mark:]

    def bodies(self, path: str, mark: int = 0) -> list[Any]:
        return [s.body for s in self.since(mark) if s.path == path]


def _recording(platform: str, state: Path, log: Recorded) -> Emulator:
    base = registry.emulator_class(platform)

    class Recording(base):  # type: ignore[misc,valid-type]
        def handle(self, request: Request, **options: Any) -> Response:
            response: Response = super().handle(request, **options)
            path = self.relative(request.path)
            route, _, _ = self._match(request.method, path)
            body = json.loads(request.body) if request.body else None
            schema = route.schema if route is not None else None
            log.requests.append(Sent(platform, request.method, path, body, response.status, schema))
            return response

    emulator: Emulator = Recording(state)
    return emulator


@contextmanager
def serve(state: Path, platform: str) -> Iterator[tuple[str, Recorded]]:
    """The sandbox on 127.0.0.1, `platform`'s emulator recording; yields its base URL."""
    log = Recorded()
    server = SandboxServer(("127.0.0.1", 0), state, Faults(error=0.0))
    server.emulators[platform] = _recording(platform, state, log)
    worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    worker.start()
    try:
        yield f"{server.url}/{platform}", log
    finally:
        server.shutdown()
        worker.join()
        server.server_close()


def invalid_requests(log: Recorded) -> list[str]:
    """Every recorded request body its route's shipped request schema refuses, and every
    request the emulator did not answer with success."""
    found = []
    for sent in log.requests:
        if sent.status >= 300:
            found.append(f"{sent.method} {sent.path}: HTTP {sent.status}")
        if sent.schema is not None:
            found += [
                f"{sent.method} {sent.path}: {p.pointer} {p.message}"
                for p in schemas.problems(sent.schema, sent.body)
            ]
    return found


def unchecked_writes(log: Recorded) -> list[str]:
    """Every recorded write whose route names no request schema to check it against."""
    return [f"{s.method} {s.path}" for s in log.requests if s.method in WRITES and s.schema is None]


def nulls(log: Recorded) -> list[str]:
    """Every recorded write whose body holds a null anywhere."""
    return [
        f"{s.method} {s.path}: {s.body}"
        for s in log.requests
        if s.method in WRITES and _null_in(s.body)
    ]


def _null_in(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_null_in(v) for v in value.values())
    if isinstance(value, list):
        return any(_null_in(v) for v in value)
    return value is None


def write_project(root: Path, url: str, target: str, provider: str, definition: str) -> None:
    (root / "interviews").mkdir(parents=True, exist_ok=True)
    (root / "interform.yaml").write_text(
        f"project: every-field\ntargets:\n  {target}:\n    provider: {provider}\n"
        f"    base_url: {url}\n"
    )
    define(root, definition)


def define(root: Path, definition: str) -> None:
    (root / "interviews" / "every.yaml").write_text(definition)


@dataclass(frozen=True)
class Ran:
    exit_code: int
    output: str  # stdout, then stderr


def cli(root: Path, variable: str, *args: str) -> Ran:
    """`interform -C root ARGS` as its own process, the credential in `variable`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERFORM_")}
    env |= {variable: f"sandbox-{ACCOUNT}", "NO_COLOR": "1"}
    return Ran(*harness.cli(root, env, *args))


def apply_ok(root: Path, variable: str) -> None:
    result = cli(root, variable, "apply", "--auto-approve")
    assert result.exit_code == 0, result.output


def plans_nothing(root: Path, variable: str) -> None:
    result = cli(root, variable, "plan", "--detailed-exitcode")
    assert result.exit_code == 0, result.output
