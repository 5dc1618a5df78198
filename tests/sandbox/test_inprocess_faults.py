"""Faults through the in-process transport, as the HTTP layer meets them."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from interform.providers.errors import ProviderError
from interform.providers.http import HttpSession, RetryPolicy
from interform.sandbox import ENV_FAULTS, transport
from interform.sandbox.faults import Faults

from .support import Connect

CREATE = {"interview_name": "Backend"}


def _count(connect: Connect) -> int:
    return len(connect("micro1").get("/interviews").json()["data"])


def test_injected_errors_have_the_platforms_and_gateways_shapes(connect: Connect) -> None:
    c = connect("micro1", faults=Faults(error=1.0, seed=5))
    answers = [c.post("/interview", json={"interview_name": f"n{i}"}) for i in range(30)]
    by_status = {a.status_code: a for a in answers}
    assert set(by_status) == {500, 502, 503}
    assert by_status[500].json() == {"status": False}
    assert "<html>" in by_status[502].text and by_status[502].headers["content-type"].startswith(
        "text/html"
    )
    assert _count(connect) == 0  # nothing was executed


def test_injected_429_carries_retry_after(connect: Connect) -> None:
    c = connect("instaview", faults=Faults(rate429=1.0, retry_after=3.0, seed=1))
    refused = c.get("/agents")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "3"
    assert refused.json()["retryAfter"] == 3 and refused.json()["error"] == "Too Many Requests"
    other = connect("versive", faults=Faults(rate429=1.0, seed=1)).get("/api/v1/interviews/x")
    assert other.status_code == 429 and other.json() == {"detail": "Too Many Requests"}


@pytest.mark.parametrize(
    ("spec", "raised", "executed"),
    [
        ("reset=1", httpx.ReadError, False),
        ("timeout=1", httpx.ReadTimeout, False),
        ("commit-drop=1,drop=reset", httpx.ReadError, True),
        ("commit-drop=1,drop=timeout", httpx.ReadTimeout, True),
    ],
)
def test_lost_answers(connect: Connect, spec: str, raised: type[Exception], executed: bool) -> None:
    c = connect("micro1", faults=Faults.parse(spec))
    with pytest.raises(raised):
        c.post("/interview", json=CREATE)
    assert _count(connect) == (1 if executed else 0)


def test_commit_drop_as_error_executes_and_answers_502(connect: Connect) -> None:
    c = connect("micro1", faults=Faults.parse("commit-drop=1,drop=error"))
    assert c.post("/interview", json=CREATE).status_code == 502
    assert c.get("/interviews").status_code == 200  # reads have nothing to commit
    assert _count(connect) == 1


def test_scope_mutating_leaves_reads_alone(connect: Connect) -> None:
    c = connect("micro1", faults=Faults.parse("error=1,scope=mutating"))
    assert c.get("/interviews").status_code == 200
    assert c.post("/interview", json=CREATE).status_code >= 500


def test_latency_overlaps_across_threads(connect: Connect) -> None:
    c = connect("micro1", faults=Faults.parse("latency=200ms"))
    started = time.monotonic()
    threads = [threading.Thread(target=c.get, args=("/interviews",)) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    assert 0.2 <= elapsed < 0.6


def test_the_http_layer_sees_an_uncertain_create_that_did_happen(connect: Connect) -> None:
    c = connect("micro1", faults=Faults.parse("commit-drop=1,drop=any,seed=9"))
    session = HttpSession("micro1", c, "https://public.api.micro1.ai", {}, sleep=lambda _: None)
    with pytest.raises(ProviderError) as caught:
        session.request("POST", "/interview", json=CREATE, create=True)
    assert caught.value.uncertain and session.requests_sent == 1  # never retried blindly
    assert _count(connect) == 1


def test_reads_recover_through_retries(connect: Connect) -> None:
    c = connect("micro1", faults=Faults.parse("error=0.5,seed=4"))
    session = HttpSession(
        "micro1", c, "https://public.api.micro1.ai", {}, retry=RetryPolicy(attempts=10),
        sleep=lambda _: None,
    )  # fmt: skip
    for page in range(1, 11):  # distinct requests, so distinct draws
        assert session.json("GET", "/interviews", params={"page": page})["status"] is True
    assert session.requests_sent > 10


def test_faults_come_from_the_environment_when_not_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_FAULTS, "timeout=1")
    c = httpx.Client(transport=transport("versive", state_dir=tmp_path))
    with pytest.raises(httpx.ReadTimeout):
        c.get("https://api.getversive.com/api/v1/interviews/x")
    calm = httpx.Client(transport=transport("versive", state_dir=tmp_path, faults=Faults()))
    assert calm.get("https://api.getversive.com/api/v1/interviews/x").status_code == 401
