"""`interform apply` against an evil server, one mode per test: every hostile answer
ends in one line naming what happened, within the target's bounds (here timeout 1 s,
max_wait 2 s, answers of at most 1 MB), never a hang, a blow-up or a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from . import hostile_support
from .evil_server import VICTIM, EvilServer
from .hostile_support import (
    DEMO,
    Run,
    assert_bounded,
    environment,
    one_line_error,
    record,
    run_cli,
    write_project,
)

CREDENTIAL = "k3y!5"  # five characters: short keys are masked too

FAILED, UNCERTAIN = "failed", "uncertain"

# mode -> (what the change ends as, fragments of its one line)
CREATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "drip-body": (UNCERTAIN, ("timed out: no complete answer within 1 s",)),
    "drip-headers": (UNCERTAIN, ("timed out: no complete answer within 1 s",)),
    "silent": (UNCERTAIN, ("timed out: no complete answer within 1 s",)),
    "retry-after-3600": (
        FAILED,
        ("HTTP 429", "asks to wait 3600 s (until", "more than the 2 s this target waits"),
    ),
    "retry-after-2099": (FAILED, ("HTTP 429", "(until 2099-01-01 00:00:00 UTC)", "max_wait")),
    "huge-declared": (UNCERTAIN, ("larger than the 1,048,576-byte limit", "500,000,000 bytes")),
    "huge-chunked": (UNCERTAIN, ("larger than the 1,048,576-byte limit",)),
    "gzip-bomb": (UNCERTAIN, ("larger than the 1,048,576-byte limit",)),
    "many-headers": (UNCERTAIN, ("connection failed",)),
    "deep-json": (UNCERTAIN, ("not valid JSON: nested too deeply",)),
    "bigint-json": (UNCERTAIN, ("not valid JSON: a number with too many digits",)),
    "not-json": (UNCERTAIN, ("response is not JSON",)),
    "bad-id": (UNCERTAIN, ("unusable id in the answer", "is not a platform id")),
    "long-id": (UNCERTAIN, ("unusable id in the answer", "100,000 characters long")),
    "echo-key": (UNCERTAIN, ("HTTP 500: key **** broke us",)),
    "ansi": (FAILED, ("HTTP 400: bad\\x1b]0;owned\\x07\\x1b[2J\\nApply complete",)),
    # a redirect is no refusal: a gateway may answer after the create went through
    "redirect": (UNCERTAIN, ("HTTP 307", "interform does not follow redirects")),
    "close": (UNCERTAIN, ("Server disconnected without sending a response",)),
    "reset": (UNCERTAIN, ("connection failed",)),
    "garbage": (UNCERTAIN, ("connection failed",)),
}


def evil_project(root: Path, url: str, **settings: int) -> Path:
    limits = {"timeout": 1, "max_wait": 2, "max_response_bytes": 1_048_576, **settings}
    return hostile_support.evil_project(root, url, **limits)


def apply(root: Path, *args: str) -> Run:
    return run_cli(
        root, "apply", "--auto-approve", *args, env=environment(MICRO1_API_KEY=CREDENTIAL)
    )


@pytest.mark.parametrize("mode", sorted(CREATES))
def test_a_hostile_answer_to_a_create(mode: str, evil: EvilServer, tmp_path: Path) -> None:
    outcome, fragments = CREATES[mode]
    root = evil_project(tmp_path, f"{evil.url}/{mode}")
    run = run_cli(root, "apply", "--auto-approve", env=environment(MICRO1_API_KEY=CREDENTIAL))
    record("http", mode, run)
    assert_bounded(run)
    assert run.code == 1, run.output
    line = one_line_error(run, f"demo@evil: {outcome}: ", *fragments)
    assert "\x1b" not in run.output and CREDENTIAL not in run.output, line
    lock = (root / "interform.lock").read_text() if (root / "interform.lock").exists() else ""
    assert CREDENTIAL not in lock
    if outcome == UNCERTAIN:  # recorded as pending, to be settled by lookup, never resent
        pending = json.loads(lock)["entries"]["demo@evil"]["pending"]
        assert [p["op"] for p in pending] == ["create"]
    assert not evil.seen(VICTIM), "nothing may reach a path the answer pointed at"


def test_a_link_that_is_no_link_is_not_printed_or_recorded(
    evil: EvilServer, tmp_path: Path
) -> None:
    root = evil_project(tmp_path, f"{evil.url}/ansi-link")
    run = run_cli(root, "apply", "--auto-approve", env=environment(MICRO1_API_KEY=CREDENTIAL))
    record("http", "ansi-link", run)
    assert_bounded(run)
    assert run.code == 0, run.output
    assert "\x1b" not in run.output
    lock = json.loads((root / "interform.lock").read_text())
    assert lock["entries"]["demo@evil"].get("urls", {}) == {}


@pytest.mark.parametrize("mode", ["reset-99999999", "reset-inf"])
def test_a_rate_limit_reset_far_away_fails_the_next_call_at_once(
    mode: str, evil: EvilServer, tmp_path: Path
) -> None:
    """The create goes through; the answer says no more requests for three years (or
    for ever): the read-back after apply fails at once, saying until when."""
    root = evil_project(tmp_path, f"{evil.url}/{mode}")
    run = run_cli(root, "apply", "--auto-approve", env=environment(MICRO1_API_KEY=CREDENTIAL))
    record("http", mode, run)
    assert_bounded(run, seconds=8)
    assert run.code == 0, run.output
    until = "never" if mode == "reset-inf" else "until 20"
    line = one_line_error(run, "cannot be read back", "GET /interviews was not sent", until)
    assert "(X-RateLimit-Reset-Minute), more than the 2 s this target waits" in line


@pytest.mark.parametrize(
    ("mode", "fragments"),
    [
        ("retry-after-inf", ("HTTP 503", "asks to wait for ever (until never)")),
        ("always-503", ("HTTP 503", "unavailable")),
        ("drip-body", ("timed out",)),
    ],
)
def test_a_hostile_answer_to_a_read(
    mode: str, fragments: tuple[str, ...], evil: EvilServer, tmp_path: Path
) -> None:
    """`plan --refresh` reads a tracked object back: retries stay within max_wait."""
    root = evil_project(tmp_path, f"{evil.url}/ok")
    assert apply(root).code == 0
    evil_project(tmp_path, f"{evil.url}/{mode}")
    run = run_cli(root, "plan", "--refresh", env=environment(MICRO1_API_KEY=CREDENTIAL))
    record("http", f"read {mode}", run)
    assert_bounded(run)
    assert run.code == 1, run.output
    one_line_error(run, "demo@evil: cannot read it back", *fragments)


def test_a_slow_server_cannot_outlast_the_runs_timeout(evil: EvilServer, tmp_path: Path) -> None:
    """timeout 30 s and max_wait 60 s per request, but `--timeout 2` for the run: the
    change in flight is cut at 2 s, the next one never starts."""
    root = evil_project(tmp_path, f"{evil.url}/drip-body", timeout=30, max_wait=60)
    (root / "interviews" / "second.yaml").write_text(DEMO.replace("[m1]", "[evil]"))
    env = environment(MICRO1_API_KEY=CREDENTIAL)
    run = run_cli(root, "apply", "--auto-approve", "--parallelism", "1", "--timeout", "2", env=env)
    record("http", "run --timeout", run)
    assert_bounded(run, seconds=10)
    assert run.code == 1, run.output
    one_line_error(run, "uncertain:", "timed out: the run's --timeout is up")
    one_line_error(run, "not started: the run's --timeout was reached")
    assert "Stopped by --timeout" in run.output


INSTAVIEW = """\
project: hostile
targets:
  iv:
    provider: instaview
defaults:
  language: en
"""

AGENT = """\
title: Agent
description: Screening.
targets: [iv]
questions:
  - text: Why this job?
instaview:
  job:
    title: Backend engineer
    description: Payments platform team.
"""


def test_a_key_spent_for_the_hour_fails_the_rest_at_once(tmp_path: Path) -> None:
    """Two applies sharing an Instaview key once slept most of an hour, silently: a key
    whose hour is spent (the emulator allows 2 requests an hour here) fails every
    further change at once, saying until when, and the rest is recorded."""
    root = write_project(tmp_path, INSTAVIEW, **{f"a{n}": AGENT for n in range(4)})
    env = environment(INTERFORM_SANDBOX_FAULTS="limit=100/2")
    run = run_cli(root, "apply", "--sandbox", "--auto-approve", "--parallelism", "1", env=env)
    record("http", "Instaview key spent for the hour", run)
    assert_bounded(run, seconds=10)
    assert run.code == 1, run.output
    one_line_error(
        run,
        "failed: instaview: POST /agents was not sent: Instaview (target iv) allows no "
        "request until",
        "(X-RateLimit-Reset-Hour), more than the 60 s this target waits (max_wait)",
    )
    assert run.output.count(": created (") == 2
