"""The HTTP way in: all four emulators on one loopback port, each under its own prefix
(`/micro1`, `/jobmojito`, `/instaview`, `/versive`), standard library only.

One thread per connection with HTTP/1.1 keep-alive, so injected latency overlaps across
parallel clients; each response leaves in one write with Nagle off. Faults act on the
socket: a reset closes it with RST, a timeout holds it open (`hold=`) without answering.
`GET /` lists the prefixes and is never subject to faults.
"""

from __future__ import annotations

import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.client import HTTPMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from interform.platforms import names as platform_names
from interform.sandbox.emulator import Emulator
from interform.sandbox.faults import Faults, Injector
from interform.sandbox.frontdoor import Action, admit
from interform.sandbox.registry import close_all, emulator
from interform.sandbox.wire import Request, Response

DRAIN_SECONDS = 5.0  # on shutdown, how long in-flight requests may take to finish
MAX_BODY = 16 * 1024 * 1024  # far above any request interform sends
# how a client hanging up shows in a handler thread
_HUNG_UP = (ConnectionError, TimeoutError)
MAX_HEADERS, MAX_LINE = 100, 65536  # http.server's own limits


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(
        self, address: tuple[str, int], state_dir: Path, faults: Faults, verbose: bool = False
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.injector = Injector(faults)
        self.emulators: dict[str, Emulator] = {p: emulator(p, state_dir) for p in platform_names()}
        self.stopping = threading.Event()
        self.verbose = verbose
        self._active = 0
        self._active_lock = threading.Condition()

    @property
    def url(self) -> str:
        host = str(self.server_address[0])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.server_port}"

    def track(self, delta: int) -> None:
        with self._active_lock:
            self._active += delta
            self._active_lock.notify_all()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-request is ordinary (a killed apply, a timeout):
        not worth a traceback. Anything else is a bug in an emulator, reported whole."""
        if isinstance(sys.exc_info()[1], _HUNG_UP):
            if self.verbose:
                sys.stderr.write(f"client {client_address[0]} hung up\n")
            return
        super().handle_error(request, client_address)

    def drain(self, seconds: float) -> None:
        """Wait for requests in flight (held timeouts end at once: `stopping` is set)."""
        deadline = time.monotonic() + seconds
        with self._active_lock:
            while self._active and time.monotonic() < deadline:
                self._active_lock.wait(0.05)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: SandboxServer
    raw_requestline: bytes  # set by http.server before parse_request

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def parse_request(self) -> bool:
        """http.server's parse of a well-formed HTTP/1.x request, without the email package
        it reads headers with (a fifth of the server's own time per request); anything
        else goes to http.server, which answers it as it always has."""
        line = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = line.split()
        if len(words) != 3 or words[2] not in ("HTTP/1.1", "HTTP/1.0"):
            return bool(super().parse_request())
        self.requestline = line
        self.command, self.path, self.request_version = words
        if self.path.startswith("//"):
            self.path = "/" + self.path.lstrip("/")  # as http.server does (gh-87389)
        headers = read_headers(self.rfile)
        if headers is None:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers")
            return False
        self.headers = headers
        connection = headers.get("Connection", "").lower()
        keep = self.request_version == "HTTP/1.1" or connection == "keep-alive"
        self.close_connection = connection == "close" or not keep
        if headers.get("Expect", "").lower() == "100-continue":
            return bool(self.handle_expect_100())
        return True

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _serve(self) -> None:
        self.server.track(1)
        try:
            self._dispatch()
        finally:
            self.server.track(-1)

    def _dispatch(self) -> None:
        split = urlsplit(self.path)
        path = unquote(split.path)
        body = self._body()
        if body is None:
            return
        platform = path.split("/")[1] if path.count("/") >= 1 else ""
        target = self.server.emulators.get(platform)
        if target is None:
            self._index(path)
            return
        request = Request(
            method=self.command,
            path=path[len(platform) + 1 :] or "/",
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        action, response = admit(target, self.server.injector, request, self.server.stopping.wait)
        if action is Action.RESPOND and response is not None:
            self._send(response)
        elif action is Action.RESET:
            self._reset()
        else:
            self.server.stopping.wait(self.server.injector.faults.hold)
            self.close_connection = True

    def _body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._send(Response(411, {"error": "send a Content-Length"}))
            self.close_connection = True
            return None
        declared = self.headers.get("Content-Length") or "0"
        if not declared.isdigit() or int(declared) > MAX_BODY:
            self._send(Response(400, {"error": f"Content-Length must be 0 to {MAX_BODY}"}))
            self.close_connection = True
            return None
        length = int(declared)
        return self.rfile.read(length) if length else b""

    def _index(self, path: str) -> None:
        if path in ("", "/") and self.command == "GET":
            prefixes = {p: f"{self.server.url}/{p}" for p in platform_names()}
            self._send(Response(200, {"interform-sandbox": prefixes}))
        else:
            known = ", ".join(f"/{p}" for p in platform_names())
            self._send(Response(404, {"error": f"no platform at {path!r}; use {known}"}))

    def _send(self, response: Response) -> None:
        content = response.content()
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = "Unknown"
        lines = [f"HTTP/1.1 {response.status} {reason}"]
        headers = {"Content-Type": response.content_type(), **response.headers}
        headers["Content-Length"] = str(len(content))
        if self.close_connection:
            headers["Connection"] = "close"
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + content)
        if self.server.verbose:
            self.log_request(response.status, len(content))

    def _reset(self) -> None:
        """Close with RST, as a crashing peer or a middlebox does."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.wfile.close()
        self.connection.close()
        self.close_connection = True


def read_headers(rfile: BufferedIOBase) -> HTTPMessage | None:
    """Header lines up to the blank line; None past http.server's limits."""
    headers = HTTPMessage()
    for _ in range(MAX_HEADERS + 1):
        raw = rfile.readline(MAX_LINE + 1)
        if raw in (b"\r\n", b"\n", b""):
            return headers
        if len(raw) > MAX_LINE:
            return None
        name, _, value = str(raw, "iso-8859-1").partition(":")
        headers[name.strip()] = value.strip()
    return None


def serve(
    host: str,
    port: int,
    state_dir: Path,
    faults: Faults,
    *,
    ready: Callable[[SandboxServer], None],
    verbose: bool = False,
) -> None:
    """Serve until SIGINT or SIGTERM, then finish requests in flight and return."""
    server = SandboxServer((host, port), state_dir, faults, verbose)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    worker.start()
    try:
        ready(server)
        while not stop.wait(0.5):
            pass
    finally:
        server.stopping.set()
        server.shutdown()
        worker.join()
        server.drain(DRAIN_SECONDS)
        server.server_close()
        close_all()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def describe(server: SandboxServer, state_dir: Path) -> str:
    """The one line printed when the server is ready (tests wait for it)."""
    faults = server.injector.describe()
    return (
        f"interform sandbox listening on {server.url} "
        f"({', '.join('/' + p for p in platform_names())}; state in {state_dir}; faults: {faults})"
    )
