"""One HTTP exchange with bounds a hostile or broken server cannot stretch: a deadline for
the whole of it (connect, send, every byte of the answer) and a cap on the answer's size.

httpx's own timeouts restart with every byte read, so a server sending one byte a second
never trips them. Here every socket operation of a request is given at most the time
left before the request's deadline: `install_deadlines` wraps the network backend of
each connection pool of a client so that its streams read the deadline of the request
the current thread is making (`deadline_scope`). The answer is read as a stream and
refused as soon as it passes `max_bytes` (decompressed, decoded chunk by chunk with a
bound, so a gzip bomb is refused too).
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from typing import Any, Final

import httpcore
import httpx

DEFAULT_MAX_RESPONSE_BYTES: Final = 8 * 1024 * 1024
# ask for answers as they are: a compressed one would be decompressed before its size
# could be judged (it is still accepted, and decoded under the same cap)
IDENTITY: Final = {"Accept-Encoding": "identity"}

_current = threading.local()


class AnswerTooLarge(Exception):
    def __init__(self, limit: int, size: int | None = None) -> None:
        said = f" ({size:,} bytes announced)" if size is not None else ""
        super().__init__(f"the answer is larger than the {limit:,}-byte limit{said}")


class UnreadableAnswer(Exception):
    """An answer in a Content-Encoding interform cannot decode within its bounds."""


@contextlib.contextmanager
def deadline_scope(deadline: float) -> Iterator[None]:
    """Socket operations of this thread's requests end by `deadline` (monotonic)."""
    previous = getattr(_current, "deadline", None)
    _current.deadline = deadline
    try:
        yield
    finally:
        _current.deadline = previous


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """The smaller of an operation's own timeout and what is left of the request's
    deadline; `error` once nothing is left (a zero timeout would mean non-blocking)."""
    deadline: float | None = getattr(_current, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("no complete answer before the request's deadline")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, bounded, local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def install_deadlines(client: httpx.Client) -> None:
    """Make every connection pool of `client` keep to the deadline of the request in
    progress. httpx offers no public hook for the network backend, so its pools' are
    wrapped in place; a client without pools (a mock transport) is left alone, and a
    pool of an unknown shape is an error rather than a silently unbounded client
    (tests/providers/test_bounded.py proves the wrapping on real sockets)."""
    transports = [client._transport, *client._mounts.values()]
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if pool is None:
            continue
        backend = getattr(pool, "_network_backend", None)
        if not isinstance(backend, httpcore.NetworkBackend):
            raise RuntimeError(f"cannot bound the requests of {type(pool).__name__}")
        if not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend)


def read_bounded(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    """The (decoded) body of a streamed `response`, at most `max_bytes` of it, read by
    `deadline`. Raises AnswerTooLarge, UnreadableAnswer or httpx.ReadTimeout."""
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > max_bytes:
        raise AnswerTooLarge(max_bytes, int(announced))
    try:
        whole = response.content  # built whole in memory (a mock transport's): read already
    except httpx.ResponseNotRead:
        pass
    else:
        if len(whole) > max_bytes:
            raise AnswerTooLarge(max_bytes)
        return whole
    decoder = _decoder(response.headers.get("Content-Encoding", ""))
    body = bytearray()
    for chunk in response.iter_raw():
        if decoder is not None:
            # decompress no more than could still fit: a bomb stops at the cap
            chunk = decoder.decompress(chunk, max_bytes + 1 - len(body))
            if decoder.unconsumed_tail:
                raise AnswerTooLarge(max_bytes)
        body += chunk
        if len(body) > max_bytes:
            raise AnswerTooLarge(max_bytes)
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("no complete answer before the request's deadline")
    return bytes(body)


def _decoder(encoding: str) -> Any:
    coding = encoding.strip().lower()
    if coding in ("", "identity"):
        return None
    if coding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(47)  # 32 + 15: a gzip or zlib header, detected
    raise UnreadableAnswer(
        f"the answer is in Content-Encoding {coding[:40]!r}, which interform does not read"
    )


def rebuilt(response: httpx.Response, body: bytes) -> httpx.Response:
    """A complete response holding `body` (already decoded) in place of the stream."""
    dropped = {"content-encoding", "content-length", "transfer-encoding"}
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in dropped]
    extensions = {k: v for k, v in response.extensions.items() if k != "network_stream"}
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=body,
        request=response.request,
        extensions=extensions,
    )
