"""An evil HTTP server: a real loopback server whose first path segment picks how it
misbehaves (`http://127.0.0.1:PORT/<mode>/...`). A target's `base_url` points at a mode;
interform then talks to it as to micro1 (its create and listing shapes).

Written on raw sockets, not http.server: most modes break HTTP on purpose (a byte a
second, headers that never end, bytes that are not HTTP at all). Every request is
recorded (`requests`), so a test can prove what was never sent (a followed redirect).
"""

from __future__ import annotations

import json
import socket
import socketserver
import struct
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

DRIP_EVERY = 0.2  # seconds between the bytes of a drip
VICTIM = "victim"  # a path no request may ever reach


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    credential: str = ""


Mode = Callable[["_Handler", Request], bool]  # False: close the connection

MODES: dict[str, Mode] = {}


def mode(name: str) -> Callable[[Mode], Mode]:
    def register(func: Mode) -> Mode:
        MODES[name] = func
        return func

    return register


# ---------------------------------------------------------------------- answers


def micro1_answer(request: Request, interview_id: object = None) -> dict[str, Any]:
    """What micro1 answers: a create's envelope, or an empty listing."""
    if request.method == "POST":
        oid = interview_id if interview_id is not None else str(uuid.uuid4())
        return {"status": True, "data": {"interview_id": oid, "invite_url": "https://i.test/x"}}
    return {"status": True, "data": []}


def response(status: int, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} Evil", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


JSON = {"Content-Type": "application/json"}


def json_response(status: int, data: object, headers: dict[str, str] | None = None) -> bytes:
    return response(status, json.dumps(data).encode(), {**JSON, **(headers or {})})


# ---------------------------------------------------------------------- modes: time


@mode("ok")
def _ok(h: _Handler, r: Request) -> bool:
    h.send(json_response(200, micro1_answer(r)))
    return True


@mode("drip-body")
def _drip_body(h: _Handler, r: Request) -> bool:
    """Headers at once, then the body a byte at a time: a read timeout never fires."""
    h.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    return h.drip(b" ")


@mode("drip-headers")
def _drip_headers(h: _Handler, r: Request) -> bool:
    """The status line, then header bytes one at a time, never the blank line."""
    h.send(b"HTTP/1.1 200 OK\r\n")
    return h.drip(b"X")


@mode("silent")
def _silent(h: _Handler, r: Request) -> bool:
    """Takes the request, never answers."""
    h.hold()
    return False


@mode("retry-after-3600")
def _retry_after_3600(h: _Handler, r: Request) -> bool:
    h.send(json_response(429, {"message": "slow down"}, {"Retry-After": "3600"}))
    return True


@mode("retry-after-2099")
def _retry_after_2099(h: _Handler, r: Request) -> bool:
    date = "Thu, 01 Jan 2099 00:00:00 GMT"
    h.send(json_response(429, {"message": "slow down"}, {"Retry-After": date}))
    return True


@mode("retry-after-inf")
def _retry_after_inf(h: _Handler, r: Request) -> bool:
    h.send(json_response(503, {"message": "come back never"}, {"Retry-After": "inf"}))
    return True


def _spent(reset: str) -> Mode:
    """Answers properly, saying the minute's budget is spent until `reset`."""

    def answer(h: _Handler, r: Request) -> bool:
        headers = {"X-RateLimit-Remaining-Minute": "0", "X-RateLimit-Reset-Minute": reset}
        h.send(json_response(200, micro1_answer(r), headers))
        return True

    return answer


MODES["reset-99999999"] = _spent("99999999")
MODES["reset-inf"] = _spent("inf")


@mode("always-503")
def _always_503(h: _Handler, r: Request) -> bool:
    h.send(json_response(503, {"message": "unavailable"}))
    return True


# ---------------------------------------------------------------------- modes: size


@mode("huge-declared")
def _huge_declared(h: _Handler, r: Request) -> bool:
    """Announces 500 MB, then sends zeros for as long as anyone reads."""
    h.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500000000\r\n\r\n"
    )
    return h.flood(b"0" * 65536)


@mode("huge-chunked")
def _huge_chunked(h: _Handler, r: Request) -> bool:
    """No length at all: chunks for as long as anyone reads (500 MB answers this way)."""
    h.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    block = b"[" * 65536
    return h.flood(f"{len(block):x}\r\n".encode() + block + b"\r\n")


@cache
def _bomb() -> bytes:
    """64 MB of JSON whitespace, gzipped to 64 KB (made a megabyte at a time: the test
    process never holds the expanded bomb). Made when the server starts: making it takes
    longer than the clients' deadline."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 16 + 15: a gzip stream
    block = b" " * (1024 * 1024)
    return b"".join(packer.compress(block) for _ in range(64)) + packer.flush()


@mode("gzip-bomb")
def _gzip_bomb(h: _Handler, r: Request) -> bool:
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    h.send(response(200, _bomb(), headers))
    return True


@mode("many-headers")
def _many_headers(h: _Handler, r: Request) -> bool:
    headers = "".join(f"X-Filler-{n}: {'v' * 100}\r\n" for n in range(20_000))
    h.send(f"HTTP/1.1 200 OK\r\n{headers}Content-Length: 2\r\n\r\n{{}}".encode())
    return True


# ---------------------------------------------------------------------- modes: content


@mode("deep-json")
def _deep_json(h: _Handler, r: Request) -> bool:
    h.send(response(200, b"[" * 100_000 + b"]" * 100_000, JSON))
    return True


@mode("bigint-json")
def _bigint_json(h: _Handler, r: Request) -> bool:
    body = b'{"status": true, "data": {"interview_id": ' + b"9" * 5000 + b"}}"
    h.send(response(200, body, JSON))
    return True


@mode("not-json")
def _not_json(h: _Handler, r: Request) -> bool:
    h.send(
        response(200, b"<html>\x1b[2J<h1>proxy error</h1></html>", {"Content-Type": "text/html"})
    )
    return True


@mode("bad-id")
def _bad_id(h: _Handler, r: Request) -> bool:
    h.send(json_response(200, micro1_answer(r, f"../../../{VICTIM}/delete-me?x=")))
    return True


@mode("long-id")
def _long_id(h: _Handler, r: Request) -> bool:
    h.send(json_response(200, micro1_answer(r, "a" * 100_000)))
    return True


@mode("echo-key")
def _echo_key(h: _Handler, r: Request) -> bool:
    """A 500 (so the create is uncertain and its detail is recorded) quoting the
    credential back."""
    h.send(json_response(500, {"message": f"key {r.credential} broke us"}))
    return True


@mode("slow-reads")
def _slow_reads(h: _Handler, r: Request) -> bool:
    """Creates at once; every read is held unanswered."""
    if r.method == "POST":
        return _ok(h, r)
    h.hold()
    return False


@mode("ansi")
def _ansi(h: _Handler, r: Request) -> bool:
    """An error whose words would repaint the terminal and forge a line of output."""
    h.send(json_response(400, {"message": "bad\x1b]0;owned\x07\x1b[2J\nApply complete: 0 failed"}))
    return True


@mode("ansi-link")
def _ansi_link(h: _Handler, r: Request) -> bool:
    """A create that works, answering with an "invite link" that repaints the terminal."""
    answer = micro1_answer(r)
    answer["data"]["invite_url"] = "https://i.test/\x1b]0;owned\x07\x1b[2J"
    h.send(json_response(200, answer))
    return True


@mode("redirect")
def _redirect(h: _Handler, r: Request) -> bool:
    h.send(response(307, b"", {"Location": f"{h.base}/{VICTIM}/interview"}))
    return True


# ---------------------------------------------------------------------- modes: the wire


@mode("close")
def _close(h: _Handler, r: Request) -> bool:
    """Reads the request, then hangs up without a word."""
    return False


@mode("reset")
def _reset(h: _Handler, r: Request) -> bool:
    h.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return False


@mode("garbage")
def _garbage(h: _Handler, r: Request) -> bool:
    h.send(b"\x00\xff\xfeSSH-2.0-OpenSSH\r\n\x1b[31mnot http at all\r\n\r\n")
    return False


# ---------------------------------------------------------------------- the server


class _Handler(socketserver.StreamRequestHandler):
    server: EvilServer
    timeout = 30

    @property
    def base(self) -> str:
        return self.server.url

    def handle(self) -> None:
        try:
            while not self.server.stopping.is_set():
                request = self._read_request()
                if request is None:
                    return
                name = request.path.split("/")[1] if request.path.count("/") >= 1 else ""
                self.server.record(Seen(request.method, request.path, request.headers))
                if not MODES.get(name, _not_found)(self, request):
                    return
        except OSError:
            return  # the client hung up: that is what clients of an evil server do

    def _read_request(self) -> Request | None:
        line = self.rfile.readline(65537)
        if not line.strip():
            return None
        method, path, _ = line.decode("latin-1").split(" ", 2)
        headers: dict[str, str] = {}
        while (raw := self.rfile.readline(65537)) not in (b"\r\n", b"\n", b""):
            name, _, value = raw.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        credential = headers.get("x-api-key", "")
        return Request(method, path, headers, body, credential)

    def send(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def drip(self, byte: bytes) -> bool:
        while not self.server.stopping.wait(DRIP_EVERY):
            self.send(byte)
        return False

    def flood(self, block: bytes) -> bool:
        while not self.server.stopping.is_set():
            self.send(block)
        return False

    def hold(self) -> None:
        self.server.stopping.wait(60)


def _not_found(h: _Handler, r: Request) -> bool:
    h.send(json_response(404, {"message": f"no mode {r.path!r}"}))
    return True


class EvilServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stopping = threading.Event()
        self.requests: list[Seen] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)

    def seen(self, mode_name: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.requests if s.path.startswith(f"/{mode_name}/")]


@contextmanager
def evil_server() -> Iterator[EvilServer]:
    _bomb()
    server = EvilServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        time.sleep(0)  # let handler threads see `stopping`
