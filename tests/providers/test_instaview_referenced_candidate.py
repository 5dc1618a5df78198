"""A session that names an existing candidate (`candidate_id`) in a definition with its
own job, through real `interform` processes against the sandbox served over HTTP.

Instaview accepts `jobId` with an existing candidate only when the job is already one of
the candidate's, and documents adding it only as an update of the candidate, which
interform never makes to a candidate it references: the plan says so on the session,
the apply is refused for that session alone until the candidate has the job, and the
candidate is never updated or deleted by interform."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from e2e.harness import dashboard
from interform.lockfile.store import read_lockfile
from interform.providers.instaview.render import UNLINKED_CANDIDATE
from project_files import write_project

from .every_field import ACCOUNT, Recorded, apply_ok, cli, invalid_requests, serve

TOKEN = "INSTAVIEW_API_KEY"
SESSION = "screen/backend@iv#anna"
JOB = "screen/backend@iv#:job"


def definition(candidate_id: str) -> str:
    return f"""\
title: Backend screen
targets: [iv]
questions:
  - text: Tell us about a service you run.
instaview:
  job:
    title: Backend engineer
  sessions:
    - name: anna
      candidate_id: {candidate_id}
      is_test: true
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Path, str, Recorded]]:
    state = tmp_path / "sandbox"
    with serve(state, "instaview") as (url, log):
        yield tmp_path / "project", state, url, log


def in_instaview(url: str, method: str, path: str, body: Any = None) -> Any:
    """What a recruiter (or their ATS) does in Instaview itself, outside interform."""
    answer = httpx.request(
        method, f"{url}{path}", json=body, headers={"Authorization": f"Bearer sandbox-{ACCOUNT}"}
    )
    assert answer.status_code < 300, answer.text
    return answer.json()


def candidates(state: Path) -> dict[str, dict[str, Any]]:
    return dashboard(state, "instaview", ACCOUNT).get("candidate", {})


def test_an_existing_candidate_is_never_linked_by_interform_and_the_plan_says_so(
    served: tuple[Path, Path, str, Recorded],
) -> None:
    root, state, url, log = served
    anna = in_instaview(
        url,
        "POST",
        "/candidates",
        {
            "firstName": "Anna",
            "lastName": "Horváth",
            "email": "anna@example.com",
            "gdprExpiryDate": "2030-12-31",
        },
    )
    project = f"project: linked\ntargets:\n  iv:\n    provider: instaview\n    base_url: {url}\n"
    write_project(root, project, {"screen/backend": definition(anna["id"])})

    plan = cli(root, TOKEN, "plan")
    assert plan.exit_code == 0, plan.output
    said = " ".join(plan.output.split())  # notes wrap at the terminal width
    assert f"note: {UNLINKED_CANDIDATE}" in said, plan.output
    as_json = cli(root, TOKEN, "plan", "--format", "json")
    changes = {c["address"]: c for c in json.loads(as_json.output)["changes"]}
    assert UNLINKED_CANDIDATE in changes[SESSION]["notes"]
    assert UNLINKED_CANDIDATE not in changes[JOB]["notes"]

    # the job is made, the session refused with Instaview's reason, the candidate untouched
    refused = cli(root, TOKEN, "apply", "--auto-approve")
    assert refused.exit_code == 1, refused.output
    assert f"{SESSION}: failed: instaview: HTTP 400" in refused.output, refused.output
    assert "is not one of the candidate's jobs" in refused.output
    lock = read_lockfile(root / "interform.lock")
    assert lock is not None and SESSION not in lock.entries
    job = str(lock.entries[JOB].remote_id)
    assert candidates(state)[anna["id"]]["jobIds"] == []

    # linked in Instaview, as the note says: the session is made for the definition's job
    in_instaview(url, "PATCH", f"/candidates/{anna['id']}", {"jobIds": [job]})
    linked = candidates(state)
    mark = len(log.requests)
    apply_ok(root, TOKEN)
    (made,) = log.bodies("/interviews", mark)
    assert (made["candidateId"], made["jobId"]) == (anna["id"], job)
    assert candidates(state) == linked

    destroyed = cli(root, TOKEN, "destroy", "--auto-approve")
    assert destroyed.exit_code == 0, destroyed.output
    assert anna["id"] in candidates(state), "a referenced candidate is kept"
    touched = [
        f"{s.method} {s.path}"
        for s in log.requests
        if s.method in ("PATCH", "DELETE") and s.path.startswith("/candidates")
    ]
    assert touched == [f"PATCH /candidates/{anna['id']}"], "only the recruiter's own update"
    assert [r for r in invalid_requests(log) if "HTTP 400" not in r] == []
