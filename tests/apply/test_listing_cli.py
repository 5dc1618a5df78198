"""Listings that never say they are done, through the CLI: `interform refresh` against a
sandbox whose listings misbehave (`INTERFORM_SANDBOX_FAULTS=paging=...`) ends after a
bounded number of requests, says on stderr which platform stopped early and why, and
records nothing it could not prove."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .support import JOBMOJITO_PROJECT, SUPPORT, sandbox_lock
from .test_state_support import make_project, run, write

LISTED = re.compile(r"GET /merchant-interview-list -> 200")


def _jobmojito_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path)
    (root / "interform.yaml").write_text(JOBMOJITO_PROJECT)
    write(root, "interviews/support/specialist.yaml", SUPPORT)
    applied = run(root, "apply", "--sandbox", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    return root


@pytest.mark.parametrize(
    ("paging", "why"),
    [
        ("endless", "page 2 was empty although the platform said more would follow"),
        ("stuck", "page 2 repeated page 1"),
    ],
)
def test_refresh_ends_and_says_why_the_listing_stopped(
    tmp_path: Path, paging: str, why: str
) -> None:
    root = _jobmojito_project(tmp_path)
    before = sandbox_lock(root).entries
    env = {"INTERFORM_SANDBOX_FAULTS": f"paging={paging}"}
    result = run(root, "refresh", "--sandbox", "--debug", env=env)
    assert result.exit_code == 0, result.output
    stops = [
        line.split("interform.providers.pager: ", 1)[1]  # after --debug's timestamp
        for line in result.stderr.splitlines()
        if "the list may be incomplete" in line and "jobmojito: GET" in line
    ]
    # Instaview's job and candidate listings (refresh looks for markers) stop as well
    assert "instaview: GET /jobs stopped after" in result.stderr
    empty = (
        "jobmojito: GET /merchant-interview-list stopped after 1 page(s): page 1 was empty "
        "although the platform said more would follow; the list may be incomplete"
    )
    # the sandbox token's two sub-merchants: their page, then the stop; the merchant's
    # interviews: one page, then the stop; its coaching and assessment lists, and each
    # sub-merchant's three, empty, so at once
    assert stops == [
        f"jobmojito: GET /merchant-sub-merchant-list stopped after 2 page(s): {why}; "
        "the list may be incomplete",
        f"jobmojito: GET /merchant-interview-list stopped after 2 page(s): {why}; "
        "the list may be incomplete",
        *[empty] * 8,
    ]
    assert len(LISTED.findall(result.stderr)) == 10  # not 500 pages per product type
    assert sandbox_lock(root).entries.keys() == before.keys()


def test_the_stop_line_is_shown_without_debug(tmp_path: Path) -> None:
    root = _jobmojito_project(tmp_path)
    result = run(root, "refresh", "--sandbox", env={"INTERFORM_SANDBOX_FAULTS": "paging=stuck"})
    assert result.exit_code == 0
    assert (
        "jobmojito: GET /merchant-interview-list stopped after 2 page(s): page 2 repeated "
        "page 1; the list may be incomplete"
    ) in result.stderr.splitlines()
    assert "-> 200" not in result.stderr  # HTTP calls only with --debug
