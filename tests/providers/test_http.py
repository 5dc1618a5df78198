"""HttpSession: retries, backoff, Retry-After, budgets, uncertain creates, error mapping,
secrets, concurrency — all against small fake servers behind httpx.MockTransport."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import TYPE_CHECKING

import httpx
import pytest

from interform import waiting
from interform.providers.errors import (
    AuthError,
    NotFound,
    ProviderError,
    RateLimited,
    RequestRejected,
    ServerError,
    TransportError,
)
from interform.providers.http import HttpSession, RetryPolicy, parse_retry_after
from interform.providers.ratelimit import RateLimiter

if TYPE_CHECKING:
    from .conftest import FakeClock, SessionFactory


class Script:
    """A server that answers from a list of scripted outcomes, one per request, and
    remembers what it was sent. An outcome is a Response or an exception to raise."""

    def __init__(self, *outcomes: httpx.Response | Exception) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def ok(body: object = None) -> httpx.Response:
    return httpx.Response(200, json=body if body is not None else {"ok": True})


def fail(status: int, body: object = None, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body or {"error": f"status {status}"}, headers=headers)


# ---------------------------------------------------------------------- success path


def test_sends_base_url_path_params_body_and_headers(make_session: SessionFactory) -> None:
    server = Script(ok({"id": "abc"}))
    session = make_session(server, headers={"x-api-key": "k-123456"})
    answer = session.json("POST", "/things", json={"a": 1}, params={"page": 2})
    assert answer == {"id": "abc"}
    (sent,) = server.requests
    assert str(sent.url) == "https://api.example.test/v1/things?page=2"
    assert sent.headers["x-api-key"] == "k-123456"
    assert json.loads(sent.content) == {"a": 1}


def test_empty_success_body_decodes_to_none(make_session: SessionFactory) -> None:
    session = make_session(Script(httpx.Response(204)))
    assert session.json("DELETE", "/things/1") is None


# ---------------------------------------------------------------------- retries


def test_server_errors_are_retried_with_jittered_exponential_backoff(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    server = Script(fail(503), fail(502), fail(500), ok())
    session = make_session(server, retry=RetryPolicy(attempts=6, base=0.5, cap=10))
    session.request("GET", "/things")
    assert len(server.requests) == 4
    assert len(clock.sleeps) == 3
    for attempt, slept in enumerate(clock.sleeps, start=1):
        assert 0 <= slept <= 0.5 * 2 ** (attempt - 1)
    assert len(set(clock.sleeps)) == 3, "full jitter draws a fresh delay each time"


def test_backoff_never_exceeds_the_cap(make_session: SessionFactory, clock: FakeClock) -> None:
    server = Script(fail(500))
    session = make_session(server, retry=RetryPolicy(attempts=12, base=1, cap=2, budget=1e9))
    with pytest.raises(ServerError):
        session.request("GET", "/things")
    assert max(clock.sleeps) <= 2


def test_retry_after_seconds_is_honoured_exactly(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    server = Script(fail(429, **{"Retry-After": "7"}), ok())
    make_session(server).request("GET", "/things")
    assert clock.sleeps == [7.0]
    assert len(server.requests) == 2


def test_retry_after_http_date_is_honoured(make_session: SessionFactory, clock: FakeClock) -> None:
    when = datetime.now(timezone.utc) + timedelta(seconds=30)
    server = Script(fail(503, **{"Retry-After": format_datetime(when, usegmt=True)}), ok())
    make_session(server).request("GET", "/things")
    (slept,) = clock.sleeps
    assert 27 <= slept <= 31


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("12", 12.0),
        ("0", 0.0),
        ("-5", 0.0),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("inf", float("inf")),
        ("nan", None),
    ],
)
def test_parse_retry_after(header: str, expected: float | None) -> None:
    response = httpx.Response(429, headers={"Retry-After": header})
    assert parse_retry_after(response) == expected


def test_retry_after_beyond_the_budget_gives_up_at_once(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    server = Script(fail(429, **{"Retry-After": "120"}), ok())
    session = make_session(server, retry=RetryPolicy(budget=60))
    with pytest.raises(RateLimited) as caught:
        session.request("GET", "/things")
    assert caught.value.retry_after == 120
    assert clock.sleeps == [], "waiting less than the platform asked would only be refused again"
    assert len(server.requests) == 1


def test_attempts_are_bounded(make_session: SessionFactory, clock: FakeClock) -> None:
    server = Script(fail(500, {"error": "still broken"}))
    session = make_session(server, retry=RetryPolicy(attempts=4, budget=1e9))
    with pytest.raises(ServerError) as caught:
        session.request("GET", "/things")
    assert len(server.requests) == 4
    assert len(clock.sleeps) == 3
    assert caught.value.status == 500


def test_waiting_budget_is_bounded(make_session: SessionFactory, clock: FakeClock) -> None:
    server = Script(fail(429, **{"Retry-After": "4"}))
    session = make_session(server, retry=RetryPolicy(attempts=100, budget=10))
    with pytest.raises(RateLimited):
        session.request("GET", "/things")
    assert clock.sleeps == [4.0, 4.0]
    assert sum(clock.sleeps) <= 10


def test_connection_errors_are_retried_for_reads(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    server = Script(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), ok())
    make_session(server).request("GET", "/things")
    assert len(server.requests) == 3


def test_client_errors_are_not_retried(make_session: SessionFactory, clock: FakeClock) -> None:
    server = Script(fail(422, {"error": "name is required"}))
    with pytest.raises(RequestRejected):
        make_session(server).request("POST", "/things", json={})
    assert len(server.requests) == 1
    assert clock.sleeps == []


# ---------------------------------------------------------------------- creates


def test_create_answered_5xx_is_uncertain_and_never_retried(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    server = Script(fail(500), ok())
    with pytest.raises(ServerError) as caught:
        make_session(server).request("POST", "/things", json={}, create=True)
    assert caught.value.uncertain
    assert len(server.requests) == 1


def test_create_refused_with_429_is_retried(make_session: SessionFactory, clock: FakeClock) -> None:
    server = Script(fail(429, **{"Retry-After": "2"}), ok({"id": "new"}))
    answer = make_session(server).json("POST", "/things", json={}, create=True)
    assert answer == {"id": "new"}
    assert len(server.requests) == 2
    assert clock.sleeps == [2.0]


def test_create_whose_connection_failed_is_retried(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    server = Script(httpx.ConnectError("refused"), httpx.ConnectTimeout("no route"), ok())
    make_session(server).request("POST", "/things", json={}, create=True)
    assert len(server.requests) == 3


@pytest.mark.parametrize(
    "dropped",
    [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("server hung up"), httpx.ReadError("x")],
)
def test_create_that_may_have_been_received_is_uncertain(
    make_session: SessionFactory, clock: FakeClock, dropped: Exception
) -> None:
    server = Script(dropped, ok())
    with pytest.raises(TransportError) as caught:
        make_session(server).request("POST", "/things", json={}, create=True)
    assert caught.value.uncertain
    assert len(server.requests) == 1
    assert clock.sleeps == []


def test_create_answered_with_garbage_is_uncertain(make_session: SessionFactory) -> None:
    server = Script(httpx.Response(200, text="<html>proxy error</html>"))
    with pytest.raises(ServerError) as caught:
        make_session(server).json("POST", "/things", json={}, create=True)
    assert caught.value.uncertain


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(204),
        httpx.Response(200),
        httpx.Response(200, content=b"null"),
        httpx.Response(200, content=b'"ok"'),
        httpx.Response(201, content=b"[1]"),
    ],
    ids=["204", "empty", "null", "string", "list"],
)
def test_create_answered_2xx_without_an_object_is_uncertain(
    make_session: SessionFactory, answer: httpx.Response
) -> None:
    server = Script(answer)
    with pytest.raises(ServerError) as caught:
        make_session(server).json("POST", "/things", json={}, create=True)
    assert caught.value.uncertain and "the object may have been created" in str(caught.value)
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_create_redirected_is_uncertain_and_never_retried(
    make_session: SessionFactory, clock: FakeClock, status: int
) -> None:
    server = Script(httpx.Response(status, headers={"Location": "https://sso.test/"}), ok())
    with pytest.raises(ServerError) as caught:
        make_session(server).json("POST", "/things", json={}, create=True)
    assert caught.value.uncertain and "redirected to https://sso.test/" in str(caught.value)
    assert len(server.requests) == 1 and clock.sleeps == []


def test_a_redirected_read_is_a_plain_refusal(make_session: SessionFactory) -> None:
    server = Script(httpx.Response(302, headers={"Location": "https://sso.test/"}))
    with pytest.raises(ProviderError) as caught:
        make_session(server).json("GET", "/things")
    assert not caught.value.uncertain


def test_read_answered_with_garbage_is_a_plain_server_error(make_session: SessionFactory) -> None:
    server = Script(httpx.Response(200, text="<html>proxy error</html>"))
    with pytest.raises(ServerError) as caught:
        make_session(server).json("GET", "/things")
    assert not caught.value.uncertain


# ---------------------------------------------------------------------- error mapping


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, RequestRejected),
        (401, AuthError),
        (403, AuthError),
        (404, NotFound),
        (409, RequestRejected),
        (422, RequestRejected),
        (429, RateLimited),
        (500, ServerError),
        (503, ServerError),
    ],
)
def test_status_maps_to_error_class(
    make_session: SessionFactory, status: int, expected: type[ProviderError]
) -> None:
    session = make_session(Script(fail(status)), retry=RetryPolicy(attempts=1))
    with pytest.raises(ProviderError) as caught:
        session.request("GET", "/things")
    assert type(caught.value) is expected
    assert caught.value.status == status


def test_parser_supplies_message_code_and_override(make_session: SessionFactory) -> None:
    def parse(response: httpx.Response) -> tuple[str, str | None, type[ProviderError] | None]:
        body = response.json()
        return body["error"], body.get("name"), AuthError if "authorized" in body["error"] else None

    server = Script(fail(500, {"error": "not authorized for merchant", "name": "merchant_id"}))
    session = make_session(server, parse_error=parse)
    with pytest.raises(AuthError) as caught:
        session.request("GET", "/things")
    assert caught.value.message == "not authorized for merchant"
    assert caught.value.code == "merchant_id"
    assert not caught.value.retryable
    assert len(server.requests) == 1, "an authorization failure dressed as 500 is not retried"


def test_a_parser_that_breaks_still_reports_the_status(make_session: SessionFactory) -> None:
    def parse(response: httpx.Response) -> tuple[str, str | None, type[ProviderError] | None]:
        raise KeyError("error")

    server = Script(httpx.Response(400, text="plain words"))
    with pytest.raises(RequestRejected) as caught:
        make_session(server, parse_error=parse).request("GET", "/things")
    assert caught.value.status == 400
    assert caught.value.message == "plain words"


# ---------------------------------------------------------------------- secrets


def test_credential_never_appears_in_errors_or_logs(
    make_session: SessionFactory, credential: str, caplog: pytest.LogCaptureFixture
) -> None:
    echo = {"error": f"key {credential} is revoked"}
    server = Script(fail(500, echo), fail(401, echo))
    session = make_session(server, headers={"Authorization": f"Bearer {credential}"})
    with caplog.at_level(logging.DEBUG, logger="interform"), pytest.raises(AuthError) as caught:
        session.request("GET", "/things")
    assert credential not in str(caught.value)
    assert credential not in caught.value.message
    assert "****" in caught.value.message
    assert caplog.records, "the retry is logged"
    for record in caplog.records:
        assert credential not in record.getMessage()


def test_credential_in_a_transport_error_is_masked(
    make_session: SessionFactory, credential: str
) -> None:
    server = Script(httpx.ConnectError(f"cannot reach https://u:{credential}@host"))
    session = make_session(server, retry=RetryPolicy(attempts=1))
    with pytest.raises(TransportError) as caught:
        session.request("GET", "/things")
    assert credential not in str(caught.value)


# ---------------------------------------------------------------------- rate limits


def test_rate_limit_headers_pause_the_next_request(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    spent = httpx.Response(
        200,
        json={},
        headers={"X-RateLimit-Remaining-Minute": "0", "X-RateLimit-Reset-Minute": "25"},
    )
    server = Script(spent, ok())
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    session = make_session(server, limiter=limiter)
    session.request("GET", "/things")
    assert clock.sleeps == []
    session.request("GET", "/things")
    assert clock.sleeps == [25.0]


def test_a_429_pauses_every_worker_sharing_the_limiter(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    refused = make_session(
        Script(fail(429, **{"Retry-After": "9"})), limiter=limiter, retry=RetryPolicy(attempts=1)
    )
    other = make_session(Script(ok()), limiter=limiter)
    with pytest.raises(RateLimited):
        refused.request("GET", "/things")
    other.request("GET", "/other")
    assert clock.sleeps == [9.0], "the second worker waited out the first one's Retry-After"


def test_retry_after_and_the_limiter_pause_are_not_added_up(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    server = Script(fail(429, **{"Retry-After": "5"}), ok())
    make_session(server, limiter=limiter).request("GET", "/things")
    assert sum(clock.sleeps) == 5.0


# ---------------------------------------------------------------------- concurrency


@pytest.fixture
def slow_server() -> tuple[list[int], Callable[[httpx.Request], httpx.Response]]:
    lock = threading.Lock()
    state = {"now": 0}
    peaks: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            state["now"] += 1
            peaks.append(state["now"])
        time.sleep(0.02)
        with lock:
            state["now"] -= 1
        return ok()

    return peaks, handler


def test_concurrency_bounds_requests_in_flight(
    make_session: SessionFactory,
    slow_server: tuple[list[int], Callable[[httpx.Request], httpx.Response]],
) -> None:
    peaks, handler = slow_server
    session = make_session(handler, concurrency=2)
    workers = [threading.Thread(target=session.request, args=("GET", "/x")) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(peaks) == 8
    assert max(peaks) == 2
    assert session.requests_sent == 8


# ---------------------------------------------------------------------- bounds


def test_a_wait_beyond_max_wait_fails_at_once_saying_until_when(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    limiter = RateLimiter(clock=clock, sleep=clock.sleep, max_wait=60, name="example")
    server = Script(fail(429, {"error": "later"}, **{"Retry-After": "3600"}), ok())
    session = make_session(server, limiter=limiter, max_wait=60)
    with pytest.raises(RateLimited) as caught:
        session.request("GET", "/things")
    assert clock.sleeps == [] and len(server.requests) == 1
    message = caught.value.message
    assert "asks to wait 3600 s (until " in message
    assert "more than the 60 s this target waits (max_wait)" in message
    # the platform's pause holds for every worker: the next request fails unsent
    other = make_session(Script(ok()), limiter=limiter, max_wait=60)
    with pytest.raises(RateLimited, match=r"example allows no request until .* \(Retry-After\)"):
        other.request("GET", "/other")
    assert clock.sleeps == []


@pytest.mark.parametrize("reset", ["99999999", "inf"])
def test_a_rate_limit_reset_beyond_max_wait_fails_the_next_request(
    make_session: SessionFactory, clock: FakeClock, reset: str
) -> None:
    spent = httpx.Response(
        200,
        json={},
        headers={"X-RateLimit-Remaining-Minute": "0", "X-RateLimit-Reset-Minute": reset},
    )
    limiter = RateLimiter(clock=clock, sleep=clock.sleep, max_wait=60, name="example")
    server = Script(spent, ok())
    session = make_session(server, limiter=limiter, max_wait=60)
    session.request("GET", "/things")
    with pytest.raises(RateLimited, match=r"not sent: example allows no request until"):
        session.request("GET", "/things")
    assert len(server.requests) == 1 and clock.sleeps == []


def test_an_answer_over_the_size_cap_fails_and_a_create_stays_uncertain(
    make_session: SessionFactory,
) -> None:
    big = httpx.Response(200, content=b" " * 5000, headers={"Content-Type": "application/json"})
    session = make_session(Script(big), max_response_bytes=4096)
    with pytest.raises(ServerError, match="larger than the 4,096-byte limit") as caught:
        session.json("POST", "/things", json={}, create=True)
    assert caught.value.uncertain
    with pytest.raises(ServerError) as read:
        session.json("GET", "/things")
    assert not read.value.uncertain


def test_an_answer_nested_too_deeply_is_an_error_not_a_crash(make_session: SessionFactory) -> None:
    deep = httpx.Response(200, content=b"[" * 50_000 + b"]" * 50_000)
    with pytest.raises(ServerError, match="nested too deeply") as caught:
        make_session(Script(deep)).json("POST", "/things", json={}, create=True)
    assert caught.value.uncertain


def test_a_wait_ends_when_the_run_is_interrupted(make_session: SessionFactory) -> None:
    """The first Ctrl-C of an apply: a request waiting to retry stops waiting, and its
    last failure stands (nothing more is sent)."""
    server = Script(fail(503, {"error": "busy"}, **{"Retry-After": "30"}), ok())
    session = HttpSession(
        "example",
        httpx.Client(transport=httpx.MockTransport(server)),
        "https://api.example.test",
        {},
        sleep=waiting.sleep,
    )
    timer = threading.Timer(0.2, waiting.interrupt)
    timer.start()
    started = time.monotonic()
    try:
        with pytest.raises(ServerError, match="busy"):
            session.request("GET", "/things")
    finally:
        waiting.start_run(None)  # the next test's run is not interrupted
        session.close()
    assert time.monotonic() - started < 10
    assert len(server.requests) == 1


def test_a_run_past_its_timeout_sends_nothing(make_session: SessionFactory) -> None:
    server = Script(ok())
    waiting.start_run(0.001)
    time.sleep(0.01)
    try:
        with pytest.raises(TransportError, match=r"the run's --timeout of 0\.001 s is up"):
            make_session(server).request("POST", "/things", json={}, create=True)
    finally:
        waiting.start_run(None)
    assert server.requests == []
