"""`interform sandbox serve` meets rude clients: ones that hang up mid-request, before
reading the answer, or send a Content-Length that is no length. It answers what it can
and prints no traceback."""

from __future__ import annotations

import socket
import struct
import time
from pathlib import Path

from e2e.harness import serve

RUDE = [
    b"GET /micro1/interviews HTTP/1.1\r\nHost: x\r\nx-api-key: k\r\n\r\n",  # leaves at once
    b"POST /micro1/interview HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",  # short
    b"POST /micro1/interview HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{",
    b"POST /micro1/interview HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n{",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello on a plain port
    b"",
]


def test_rude_clients_leave_no_traceback(tmp_path: Path) -> None:
    with serve(tmp_path / "state") as served:
        host, port = served.url.split("//")[1].split(":")
        started = time.monotonic()
        for payload in RUDE:
            with socket.create_connection((host, int(port)), timeout=5) as conn:
                conn.sendall(payload)
                # close with RST, as a killed client's kernel does
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        time.sleep(0.5)  # let the handler threads meet the reset
        assert time.monotonic() - started < 10
    assert served.process.stdout is not None
    printed = served.process.stdout.read()
    assert "Traceback" not in printed, printed
    assert "Exception occurred" not in printed, printed
