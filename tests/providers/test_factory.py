"""open_provider: credentials, base URL, headers, and a rate limiter that waits on the
same clock as the injected sleep; the registry imports adapters without httpx."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from interform import secrets
from interform.model.project import RateLimit, Target
from interform.platforms import names
from interform.providers.errors import MissingCredential
from interform.providers.factory import open_provider, opened
from interform.providers.ratelimit import RateLimiter

from .adapter_support import target_named

if TYPE_CHECKING:
    from .conftest import FakeClock


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={})


def limited(provider: str = "micro1", per_minute: int = 2) -> Target:
    return target_named(provider, rate_limit=RateLimit(per_minute=per_minute))


def test_the_limiter_waits_on_the_injected_clock(clock: FakeClock) -> None:
    server = Recorder()
    transport = httpx.MockTransport(server)
    with opened(
        "m1", limited(), transport=transport, credential="k" * 12, sleep=clock.sleep, clock=clock
    ) as provider:
        for _ in range(4):
            provider.http.request("GET", "/ping")
    assert len(server.requests) == 4
    # two tokens at once, then one every 30 s of the fake clock
    assert clock.sleeps == pytest.approx([30.0, 30.0])


def test_an_injected_sleep_alone_is_enough_for_the_limiter() -> None:
    """Without a clock the limiter must still see the fake waits pass; on the real clock
    it would call the fake sleep over and over for 60 real seconds."""
    sleeps: list[float] = []

    def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) > 20:
            raise AssertionError(f"the limiter is spinning on the real clock: {sleeps}")

    started = time.monotonic()
    with opened(
        "m1",
        limited(),
        transport=httpx.MockTransport(Recorder()),
        credential="k" * 12,
        sleep=fake_sleep,
    ) as provider:
        for _ in range(4):
            provider.http.request("GET", "/ping")
    assert time.monotonic() - started < 5
    assert sum(sleeps) == pytest.approx(60.0, abs=0.5)
    assert len(sleeps) <= 4  # the real clock moves a little between requests


def test_retry_waits_count_for_the_limiter_too(clock: FakeClock) -> None:
    """A 429 pauses the limiter and the retry sleeps the same seconds: they are one wait,
    not two, because both share the clock."""
    answers = [httpx.Response(429, headers={"Retry-After": "40"}), httpx.Response(200, json={})]
    transport = httpx.MockTransport(lambda request: answers.pop(0))
    with opened(
        "iv",
        Target(provider="instaview"),
        transport=transport,
        credential="k" * 12,
        sleep=clock.sleep,
    ) as provider:
        provider.http.request("GET", "/agents")
    assert sum(clock.sleeps) == pytest.approx(40.0, abs=0.5)


@pytest.mark.parametrize("per_minute", [7, 9, 13, 17])
def test_float_rounding_never_leaves_the_limiter_spinning(
    per_minute: int, clock: FakeClock
) -> None:
    """Refilling for exactly the time waited can leave 0.99999999999 of a token; sleeping
    the 1e-11 s still missing does not move a clock near 1e6 at all. Each of these rates
    made the limiter sleep tiny amounts forever before such waits counted as none."""
    clock.now = 1_000_000.123

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if len(clock.sleeps) > 10:
            raise AssertionError(f"the limiter is spinning: {clock.sleeps[-3:]}")

    limiter = RateLimiter(per_minute=per_minute, clock=clock, sleep=sleep)
    for _ in range(per_minute + 3):
        limiter.acquire()
    assert len(clock.sleeps) == 3
    assert sum(clock.sleeps) == pytest.approx(3 * 60 / per_minute)


def test_missing_credential_names_the_variable_before_any_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JM_STAGING_TOKEN", raising=False)
    server = Recorder()
    target = Target(provider="jobmojito", credential_env="JM_STAGING_TOKEN")
    with pytest.raises(MissingCredential, match="JM_STAGING_TOKEN"):
        open_provider("jm", target, transport=httpx.MockTransport(server))
    assert server.requests == []


def test_credential_from_the_environment_is_sent_and_scrubbed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = "eyJhbGciOi.jm-factory-token.sig"
    monkeypatch.setenv("JOBMOJITO_TOKEN", token)
    server = Recorder()
    target = Target(provider="jobmojito", base_url="http://127.0.0.1:9/jobmojito")
    with opened("jm", target, transport=httpx.MockTransport(server)) as provider:
        provider.http.request("GET", "/merchant-interview-list")
    (request,) = server.requests
    assert request.headers["Authorization"] == f"Bearer {token}"
    assert str(request.url) == "http://127.0.0.1:9/jobmojito/merchant-interview-list"
    assert token not in secrets.scrub(f"sent {token}")


def test_default_base_url_and_documented_rate_limit(clock: FakeClock) -> None:
    with opened(
        "iv", Target(provider="instaview"), credential="k" * 12, sleep=clock.sleep
    ) as provider:
        assert provider.http.base_url == "https://api.instaview.sk"
        limiter = provider.http.limiter
        assert limiter is not None
        assert {name: b.capacity for name, b in limiter._buckets.items()} == {
            "Minute": 60,
            "Hour": 2000,
        }


def test_every_provider_class_imports_without_httpx_or_jsonschema() -> None:
    code = (
        "import sys\n"
        "from interform.platforms import names\n"
        "from interform.providers.registry import kind_spec, provider_class\n"
        "for name in names():\n"
        "    cls = provider_class(name)\n"
        "    assert cls.name == name, name\n"
        "    for kind in cls.kinds:\n"
        "        kind_spec(name, kind)\n"
        "heavy = sorted(m for m in ('httpx', 'jsonschema') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "jobmojito" in names()


def test_a_company_id_goes_with_every_request_of_an_instaview_partner_key() -> None:
    """Instaview ATS keys must name the company on every call (`?companyId=`), next to
    the request's own query (a listing's page) and on every method."""
    server = Recorder()
    target = target_named("instaview", company_id="acme-42")
    with opened(
        "iv", target, transport=httpx.MockTransport(server), credential="k" * 12
    ) as provider:
        provider.http.request("GET", "/agents", params={"page": 2})
        provider.http.request("PATCH", "/agents/a1", json={"name": "x"})
        provider.http.request("DELETE", "/agents/a1")
    assert [dict(r.url.params) for r in server.requests] == [
        {"companyId": "acme-42", "page": "2"},
        {"companyId": "acme-42"},
        {"companyId": "acme-42"},
    ]


def test_without_a_company_id_no_company_is_sent() -> None:
    server = Recorder()
    with opened(
        "iv", target_named("instaview"), transport=httpx.MockTransport(server), credential="k" * 12
    ) as provider:
        provider.http.request("GET", "/agents")
    assert "companyId" not in server.requests[0].url.params
