"""Every answer to a create that is not a clear refusal leaves the create uncertain: the
emulators execute each create, then the client gets an odd answer instead of theirs (a
2xx without a usable body, a redirect). Apply must record a pending create, never a
failure, so the next apply finds the object instead of making a second one."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from interform.lockfile.model import Lockfile
from project_files import FOUR_TARGETS, FRONTEND, STUDY, SUPPORT, write_project

from .support import Tap, apply_with, remote_objects, sandbox_lock

AGENT = """\
title: Backend engineer
description: Screening for backend engineers.
targets: [iv]
questions:
  - text: Tell us about a production incident you handled.
instaview:
  focus: GENERIC
"""
CREATES = {  # the create request of each definition resource, by address
    "eng/frontend@micro1": "/interview",
    "support/screen@jm": "/job-interview-create-from-array",
    "eng/agent@iv": "/agents",
    "research/study@vs": "/api/v1/studies",
}
JSON = {"Content-Type": "application/json"}
ANSWERS = {
    "200 null": lambda: httpx.Response(200, content=b"null", headers=JSON),
    "200 empty": lambda: httpx.Response(200),
    "204": lambda: httpx.Response(204),
    '200 "ok"': lambda: httpx.Response(200, content=b'"ok"', headers=JSON),
    "200 not JSON": lambda: httpx.Response(200, text="<html>Created</html>"),
    "201 {}": lambda: httpx.Response(201, json={}),
    "201 status false": lambda: httpx.Response(201, json={"status": False, "message": "?"}),
    "302 redirect": lambda: httpx.Response(302, headers={"Location": "https://login.test/"}),
    "303 see other": lambda: httpx.Response(303, headers={"Location": "/interview/x"}),
}


def live_objects(root: Path) -> dict[str, int]:
    """How many objects of each created kind the emulators hold."""
    kinds = {"micro1": "interview", "jobmojito": "interview", "instaview": "agent"}
    kinds["versive"] = "study"
    counts: dict[str, int] = {}
    for (platform, _), objects in remote_objects(root).items():
        kind = kinds[platform]
        counts[platform] = sum(1 for key in objects if key.startswith(f"{kind}/"))
    return counts


@pytest.mark.parametrize("answer", list(ANSWERS))
def test_an_odd_answer_to_a_create_is_uncertain_and_the_rerun_finds_the_object(
    tmp_path: Path, answer: str
) -> None:
    definitions = {
        "eng/frontend": FRONTEND,
        "support/screen": SUPPORT,
        "eng/agent": AGENT,
        "research/study": STUDY,
    }
    root = write_project(tmp_path, FOUR_TARGETS, definitions)
    tap = Tap(root)
    creates = tuple(CREATES.values())
    tap.rules.append(
        lambda _, r: (
            ANSWERS[answer]() if r.method == "POST" and r.url.path.endswith(creates) else None
        )
    )
    code, output = apply_with(root, tap)
    assert code == 1, output
    lock = sandbox_lock(root)
    for address in CREATES:
        assert f"{address}: uncertain" in output, output
        pending = [p.op for p in lock.entries[address].pending]
        assert pending == ["create"] and lock.entries[address].remote_id is None
    assert live_objects(root) == {"micro1": 1, "jobmojito": 1, "instaview": 1, "versive": 1}

    code, output = apply_with(root)  # the answers are normal again
    assert live_objects(root) == {"micro1": 1, "jobmojito": 1, "instaview": 1, "versive": 1}
    after = sandbox_lock(root)
    for address in ("eng/frontend@micro1", "support/screen@jm", "eng/agent@iv"):
        assert after.entries[address].remote_id and not after.entries[address].pending
    _study_waits_for_an_import(after, output)


def _study_waits_for_an_import(lock: Lockfile, output: str) -> None:
    """Versive cannot list studies: the plan names the one command that settles it."""
    assert lock.entries["research/study@vs"].remote_id is None
    assert "interform import research/study@vs STUDY_ID" in output
