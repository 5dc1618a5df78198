"""Connections to the platforms of a workspace: one `Provider` per target.

Everything that talks to a platform (apply, destroy, refresh, import, plan --refresh)
opens its adapters here, so the sandbox switch and the credential check live in one
place. Credentials are checked for every target an operation will use before the first
request goes out: a run that would fail halfway on a missing variable fails at once,
naming every missing variable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from interform import waiting
from interform.errors import Problem, UserError
from interform.project_root import PROJECT_FILE

if TYPE_CHECKING:
    import httpx

    from interform.providers.base import Provider
    from interform.workspace import Workspace

# (provider name, target name) -> transport; tests and benchmarks route targets elsewhere
TransportFactory = Callable[[str, str], "httpx.BaseTransport | None"]


class Connections:
    """Adapters of a workspace's targets, opened on first use and closed together.

    Thread-safe: apply workers share one adapter (and so one rate limiter and one
    connection pool) per target."""

    def __init__(
        self,
        ws: Workspace,
        *,
        transport: TransportFactory | None = None,
        sleep: Callable[[float], None] = waiting.sleep,
    ) -> None:
        self.ws = ws
        self.sandbox = ws.sandbox
        self._transport = transport
        self._sleep = sleep
        self._open: dict[str, Provider] = {}
        self._mutex = threading.Lock()
        self._closed = False

    def check(self, targets: Iterable[str]) -> None:
        """Raise one UserError naming every target among `targets` that is unknown or
        whose credential variable is not set."""
        if self.sandbox:
            problems = [self._unknown(name) for name in sorted(set(targets))]
            _raise([p for p in problems if p is not None])
            return
        from interform.providers.errors import MissingCredential
        from interform.providers.factory import credential_for

        problems = []
        for name in sorted(set(targets)):
            unknown = self._unknown(name)
            if unknown is not None:
                problems.append(unknown)
                continue
            try:
                credential_for(name, self.ws.project.targets[name])
            except MissingCredential as err:
                problems.append(self._missing(err))
        _raise(problems)

    def get(self, target: str) -> Provider:
        # every change asks: skip the mutex once the adapter is open (a dict read is
        # atomic, and adapters are only ever added until close)
        found = self._open.get(target)
        if found is not None and not self._closed:
            return found
        with self._mutex:
            if self._closed:
                raise RuntimeError("connections already closed")
            found = self._open.get(target)
            if found is None:
                found = self._open[target] = self._connect(target)
            return found

    __getitem__ = get

    def opened(self) -> dict[str, Provider]:
        with self._mutex:
            return dict(self._open)

    def close(self) -> None:
        from interform.providers.factory import close_provider

        with self._mutex:
            self._closed = True
            opened, self._open = list(self._open.values()), {}
        for provider in opened:
            close_provider(provider)

    def __enter__(self) -> Connections:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ internals

    def _connect(self, name: str) -> Provider:
        from interform.providers.factory import open_provider

        target = self.ws.project.targets.get(name)
        if target is None:
            _raise([self._unknown(name)])
        assert target is not None
        transport = self._transport(target.provider, name) if self._transport else None
        credential = None
        if self.sandbox:
            from interform import sandbox

            credential = sandbox.sandbox_credential(name)
            if transport is None:
                state = sandbox.state_dir(self.ws.root)
                transport = sandbox.transport(target.provider, state_dir=state)
        return open_provider(
            name, target, transport=transport, credential=credential, sleep=self._sleep
        )

    def _unknown(self, name: str) -> Problem | None:
        if name in self.ws.project.targets:
            return None
        known = ", ".join(sorted(self.ws.project.targets)) or "none"
        return Problem(
            PROJECT_FILE, 0, 0, f"target {name!r} is not defined", f"define it (known: {known})"
        )

    def _missing(self, err: Exception) -> Problem:
        from interform.providers.errors import MissingCredential

        assert isinstance(err, MissingCredential)
        line, col = self.ws.locate(PROJECT_FILE, ("targets", err.target))
        return Problem(
            PROJECT_FILE,
            line,
            col,
            str(err),
            f"export {err.variable}=<credential>, or run with --sandbox to use the emulators",
        )


def connect(
    ws: Workspace,
    targets: Iterable[str],
    *,
    transport: TransportFactory | None = None,
    sleep: Callable[[float], None] = waiting.sleep,
) -> Connections:
    """Connections for `ws`, after checking the credentials of every target in `targets`
    (use as a context manager so every client is closed)."""
    connections = Connections(ws, transport=transport, sleep=sleep)
    connections.check(targets)
    return connections


def _raise(problems: Sequence[Problem | None]) -> None:
    real = [p for p in problems if p is not None]
    if real:
        raise UserError(real)
