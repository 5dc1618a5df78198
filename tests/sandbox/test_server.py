"""The served way in, over real sockets on 127.0.0.1: prefixes, keep-alive, concurrency,
faults on the wire, and the `interform sandbox serve` process itself."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from interform.sandbox.faults import Faults
from interform.sandbox.server import SandboxServer

KEY = {"x-api-key": "sandbox-served"}
Start = Callable[..., str]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Start]:
    """start(faults) -> base URL of a server running in a thread."""
    servers: list[tuple[SandboxServer, threading.Thread]] = []

    def start(faults: Faults | None = None) -> str:
        server = SandboxServer(("127.0.0.1", 0), tmp_path / "state", faults or Faults())
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        servers.append((server, thread))
        return server.url

    yield start
    for server, thread in servers:
        server.stopping.set()
        server.shutdown()
        thread.join()
        server.server_close()


def test_each_platform_under_its_prefix(served: Start) -> None:
    url = served()
    with httpx.Client(base_url=url) as c:
        index = c.get("/").json()["interform-sandbox"]
        assert index == {p: f"{url}/{p}" for p in ("micro1", "jobmojito", "instaview", "versive")}
        assert c.get("/nowhere/x").status_code == 404
        made = c.post("/micro1/interview", json={"interview_name": "Served"}, headers=KEY)
        assert made.status_code == 200
        assert (
            c.get("/micro1/interviews", headers=KEY).json()["data"][0]["interview_name"] == "Served"
        )
        bearer = {"Authorization": "Bearer sandbox-served"}
        avatars = c.get("/jobmojito/merchant-avatar-list", headers=bearer)
        assert avatars.json()["pagination"]["total"] == 2
        assert (
            c.get("/jobmojito/functions/v1/merchant-avatar-list", headers=bearer).status_code == 200
        )
        assert "X-RateLimit-Limit-Minute" in c.get("/instaview/agents", headers=bearer).headers
        assert c.get("/versive/api/v1/interviews/x").json() == {"detail": "Not authenticated"}


def test_paging_faults_break_listings_on_the_wire(served: Start) -> None:
    """`endless`: every listing says more follows; `stuck`: the position is ignored too.
    Reads of one object are not listings and stay as they are."""
    bearer = {"Authorization": "Bearer sandbox-served"}
    with httpx.Client(base_url=served(Faults(paging="endless"))) as c:
        page = c.get("/jobmojito/merchant-avatar-list?offset=5&limit=2", headers=bearer).json()
        assert page["data"] == [] and page["pagination"]["has_more"] is True
        agents = c.get("/instaview/agents?page=3&limit=10", headers=bearer).json()["data"]
        assert agents["items"] == [] and agents["pagination"]["hasNextPage"] is True
        assert c.get("/instaview/agents/nope", headers=bearer).status_code == 400
    with httpx.Client(base_url=served(Faults(paging="stuck"))) as c:
        first = c.get("/jobmojito/merchant-avatar-list?offset=0&limit=1", headers=bearer).json()
        later = c.get("/jobmojito/merchant-avatar-list?offset=1&limit=1", headers=bearer).json()
        assert later["data"] == first["data"] != [] and later["pagination"]["has_more"] is True


def test_keep_alive_serves_many_requests_on_one_connection(served: Start) -> None:
    host, port = served().removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    sockets = set()
    for i in range(5):
        conn.request(
            "POST", "/micro1/interview", body=json.dumps({"interview_name": f"k{i}"}), headers=KEY
        )
        answer = conn.getresponse()
        assert answer.status == 200 and json.loads(answer.read())["status"] is True
        sockets.add(id(conn.sock))
    assert len(sockets) == 1
    conn.close()


def test_injected_latency_overlaps_across_connections(served: Start) -> None:
    url = served(Faults.parse("latency=200ms"))
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
    with httpx.Client(base_url=url, headers=KEY, limits=limits) as c:
        c.get("/micro1/interviews")
        started = time.monotonic()
        threads = [
            threading.Thread(
                target=c.post,
                args=("/micro1/interview",),
                kwargs={"json": {"interview_name": f"p{i}"}},
            )
            for i in range(32)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        assert len(c.get("/micro1/interviews", params={"limit": 100}).json()["data"]) == 32
    assert elapsed < 0.8  # 32 × 200 ms one after another would take 6.4 s


def _count(url: str) -> int:
    return len(httpx.get(f"{url}/micro1/interviews", headers=KEY).json()["data"])


def test_reset_cuts_the_connection_without_executing(served: Start) -> None:
    url = served(Faults.parse("reset=1,scope=mutating"))
    with pytest.raises(httpx.TransportError):
        httpx.post(f"{url}/micro1/interview", json={"interview_name": "r"}, headers=KEY)
    assert _count(url) == 0


def test_timeout_holds_the_connection_past_the_clients_patience(served: Start) -> None:
    url = served(Faults.parse("timeout=1,hold=2s,scope=mutating"))
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            f"{url}/micro1/interview", json={"interview_name": "t"}, headers=KEY, timeout=0.3
        )
    assert time.monotonic() - started < 1.5
    assert _count(url) == 0


@pytest.mark.parametrize("drop", ["reset", "timeout", "error"])
def test_commit_drop_executes_then_loses_the_answer(served: Start, drop: str) -> None:
    url = served(Faults.parse(f"commit-drop=1,drop={drop},hold=1s"))
    try:
        answer = httpx.post(
            f"{url}/micro1/interview", json={"interview_name": "c"}, headers=KEY, timeout=0.3
        )
        assert drop == "error" and answer.status_code == 502
    except httpx.TransportError:
        assert drop != "error"
    assert _count(url) == 1


def test_injected_errors_and_429_on_the_wire(served: Start) -> None:
    url = served(Faults.parse("rate429=1,retry-after=2s"))
    refused = httpx.get(f"{url}/instaview/agents", headers={"Authorization": "Bearer sandbox-x"})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "2"
    failing = served(Faults.parse("error=1,seed=2"))
    statuses = {
        httpx.get(f"{failing}/micro1/interviews", params={"p": i}, headers=KEY).status_code
        for i in range(20)
    }
    assert statuses == {500, 502, 503}


# ---------------------------------------------------------------------- the process


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "interform", "sandbox", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=30)


def _spawn(state: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("INTERFORM_SANDBOX_FAULTS", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "interform",
            "sandbox",
            "serve",
            "--port",
            "0",
            "--state-dir",
            str(state),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # the server prints one line once it listens
    found = re.search(r"http://127\.0\.0\.1:(\d+)", line)
    assert found, (line, process.stderr.read() if process.stderr else "")
    return process, found[0]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_process_stops_cleanly_and_keeps_state(tmp_path: Path, stop: signal.Signals) -> None:
    state = tmp_path / "state"
    process, url = _spawn(state, "--faults", "latency=5ms,seed=1")
    try:
        for i in range(3):
            made = httpx.post(
                f"{url}/versive/api/v1/studies",
                json={"title": f"S{i}"},
                headers={"Authorization": "Bearer sandbox-proc"},
            )
            assert made.status_code == 200
    finally:
        process.send_signal(stop)
        _, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    shown = _run("show", "--json", "--state-dir", str(state))
    rows = json.loads(shown.stdout)
    assert sorted(r["name"] for r in rows) == ["S0", "S1", "S2"]
    assert {(r["platform"], r["account"], r["kind"]) for r in rows} == {
        ("versive", "proc", "study")
    }


def test_serve_reports_a_bad_fault_spec_and_a_busy_port(tmp_path: Path) -> None:
    bad = _run("serve", "--faults", "latency=5", "--state-dir", str(tmp_path))
    assert bad.returncode == 1 and bad.stderr.startswith("--faults: 'latency=5': ")
    process, url = _spawn(tmp_path)
    try:
        port = url.rsplit(":", 1)[1]
        busy = _run("serve", "--port", port, "--state-dir", str(tmp_path))
        assert busy.returncode == 1 and "choose another --port" in busy.stderr
    finally:
        process.terminate()
        process.communicate(timeout=10)


def exchange(url: str, raw: bytes) -> bytes:
    """Send `raw` on a fresh connection; everything the server sends until it closes."""
    import socket

    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_request_headers_are_read_whatever_their_case(served: Start) -> None:
    body = b'{"interview_name": "Cased"}'
    raw = (
        b"POST /micro1/interview HTTP/1.1\r\nHost: x\r\nX-API-KEY: sandbox-served\r\n"
        b"content-length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
    )
    answer = exchange(served(), raw)
    assert answer.startswith(b"HTTP/1.1 200 ") and b"Connection: close" in answer
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["status"] is True


def test_http_1_0_closes_and_malformed_requests_are_refused(served: Start) -> None:
    url = served()
    assert exchange(url, b"GET / HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.1 200 ")
    assert b"Error code: 400" in exchange(url, b"GET / FTP/1.1\r\n\r\n")  # http.server
    too_many = b"".join(b"X-%d: y\r\n" % i for i in range(101))
    assert exchange(url, b"GET / HTTP/1.1\r\n" + too_many + b"\r\n").startswith(b"HTTP/1.1 431 ")
