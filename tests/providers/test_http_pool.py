"""The connection pool of an adapter's client, against a real local HTTP server: as many
workers as apply runs keep their keep-alive connections instead of reopening them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from interform.model.project import Target
from interform.providers.factory import opened

lock = threading.Lock()


class Counting(ThreadingHTTPServer):
    daemon_threads = True
    connections = 0


class Slow(BaseHTTPRequestHandler):
    """Answers `{}` after 30 ms on a kept-alive HTTP/1.1 connection."""

    protocol_version = "HTTP/1.1"
    server: Counting

    def setup(self) -> None:
        super().setup()
        with lock:
            self.server.connections += 1

    def do_GET(self) -> None:
        time.sleep(0.03)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Counting]:
    httpd = Counting(("127.0.0.1", 0), Slow)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_thirty_two_workers_keep_their_connections(server: Counting) -> None:
    workers, rounds = 32, 3
    url = f"http://127.0.0.1:{server.server_port}"
    target = Target(provider="micro1", base_url=url)
    with opened("m", target, credential="sandbox-pool-test") as provider:
        start = threading.Barrier(workers)

        def work() -> None:
            start.wait()
            for _ in range(rounds):
                provider.http.request("GET", "/interviews")

        threads = [threading.Thread(target=work) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    # httpx's default pool keeps 20 idle connections: 12 more would open every round
    assert server.connections <= workers
