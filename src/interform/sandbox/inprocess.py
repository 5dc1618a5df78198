"""The in-process way in: an `httpx.MockTransport` that hands requests to an emulator.

Routing ignores the host, so adapters keep their default base URLs; a path may also
carry the server's `/<platform>` prefix. Faults act as a network would from the
client's side: a reset is `httpx.ReadError`, a timeout `httpx.ReadTimeout` (raised at
once: there is no clock to wait on).
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from interform.sandbox.emulator import Emulator
from interform.sandbox.faults import Faults, Injector
from interform.sandbox.frontdoor import Action, admit
from interform.sandbox.registry import emulator
from interform.sandbox.wire import Request


def make_transport(
    provider: str, *, state_dir: Path, faults: Faults | None = None
) -> httpx.MockTransport:
    """The shared emulator of (`provider`, `state_dir`) behind `faults` (None: from
    INTERFORM_SANDBOX_FAULTS)."""
    chosen = Faults.from_env() if faults is None else faults
    return emulator_transport(emulator(provider, state_dir), chosen)


def emulator_transport(target: Emulator, faults: Faults) -> httpx.MockTransport:
    """Any emulator instance (tests give theirs a fake clock) as an httpx transport."""
    injector = Injector(faults)

    def handle(request: httpx.Request) -> httpx.Response:
        incoming = Request(
            method=request.method,
            path=request.url.path,
            query=dict(request.url.params.items()),
            headers={k.lower(): v for k, v in request.headers.items()},
            body=request.read(),
        )
        action, response = admit(target, injector, incoming, time.sleep)
        if action is Action.RESET:
            raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
        if action is Action.TIMEOUT or response is None:
            raise httpx.ReadTimeout("timed out (sandbox fault)", request=request)
        headers = {"content-type": response.content_type(), **response.headers}
        return httpx.Response(response.status, headers=headers, content=response.content())

    return httpx.MockTransport(handle)
