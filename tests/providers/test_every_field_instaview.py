"""The Instaview contract: a definition that sets every field interform can set on
Instaview (agent, job, candidates, sessions) is applied, updated with every optional
setting changed or cleared, used by a second definition that references its agent, job
and candidate by id, and destroyed — through real `interform` processes against the
sandbox served over HTTP. Every request the CLI sends is checked at the emulator against
the request schema of its endpoint in `src/interform/data/providers/`, and no body holds
a null; afterwards Instaview holds nothing interform made, and the objects only
referenced by id were never updated or deleted while referenced.

Seed 002 (`POST /interviews`) names 49 request fields (44 in its request example,
counting nested ones such as `job.location.city` and `agent.voiceId`, and 5 more in its
prose examples); a definition sets 46 of them, every one exercised here. Not settable:
`job.jobTitle`, `job.jobDescription` and `job.languages`, the prose examples' other
spellings of `title`, `description` and `languageRequirements`, which are."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from e2e.harness import dashboard
from interform.lockfile.store import read_lockfile
from project_files import write_project

from .every_field import (
    ACCOUNT,
    Recorded,
    apply_ok,
    cli,
    invalid_requests,
    nulls,
    plans_nothing,
    serve,
    unchecked_writes,
)

TOKEN = "INSTAVIEW_API_KEY"


def soon(days: int) -> str:
    moment = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def full(when: str, phone_type: bool = True) -> str:
    """Every field: agent settings, the whole job, a candidate with every field, and a
    session with every field."""
    return f"""\
title: Platform engineer
description: Screening for platform engineers.
targets: [iv]
language: sk
questions:
  - text: Tell us about a migration you led.
  - text: How do you keep a service healthy at night?
skills:
  - name: Kubernetes
instaview:
  type: {"PHONE" if phone_type else "ONLINE"}
  focus: LANGUAGE_TEST
  duration: 25
  voice_id: ALEX
  cefr_level: B2
  instructions: Ask for concrete examples.
  company_phone_number_id: 123e4567-e89b-12d3-a456-426614174000
  job:
    title: Platform engineer (Bratislava)
    description: Runs the platform.
    job_url: https://example.com/jobs/platform
    benefits: Health insurance
    required_skills: [Kubernetes, Go]
    nice_to_have_skills: [Terraform]
    language_requirements:
      - language: SK
        proficiency: C1
    education: [BACHELOR_LEVEL]
    experience: FIVE_TO_10_YEARS
    contract_type: FULL_TIME
    status: OPEN
    location:
      work_mode: HYBRID
      street: Hlavná 123
      city: Bratislava
      postal_code: "81101"
      country_code: SK
    salary:
      min: 50000
      max: 80000
      currency: EUR
      period: YEARLY
    human_recruiter: Jana Nováková
    other_requirements: Slovak work permit
    metadata:
      externalJobId: JOB-12345
  sessions:
    - name: jana
      candidate:
        first_name: Jana
        last_name: Kováčová
        email: jana@example.com
        phone_number: "+421915123456"
        gdpr_expiry_date: 2030-12-31
        metadata:
          externalId: ATS-1
      schedule_time: "{when}"
      is_test: false
      metadata:
        externalInterviewId: INT-789
"""


def cleared(when: str) -> str:
    """The same definition with every optional setting changed or cleared."""
    return f"""\
title: Platform engineer II
targets: [iv]
language: en
questions:
  - text: Tell us about a migration you led.
instaview:
  focus: SCREENING
  job:
    title: Platform engineer
    required_skills: [Go]
  sessions:
    - name: jana
      candidate:
        first_name: Jana
        last_name: Kováčová
        email: jana@example.com
        gdpr_expiry_date: 2031-01-31
      schedule_time: "{when}"
      is_test: true
"""


def referencing(agent: str, job: str, candidate: str) -> str:
    """A definition that only references existing Instaview objects by id."""
    return f"""\
title: Second round
targets: [iv]
questions:
  - text: Unused, the sessions run the existing agent.
instaview:
  agent_id: {agent}
  job_id: {job}
  sessions:
    - name: again
      candidate_id: {candidate}
      is_test: true
"""


def held(state: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Instaview's objects by kind, then id, as its dashboard shows them."""
    return {kind: objs for kind, objs in dashboard(state, "instaview", ACCOUNT).items() if objs}


def project(url: str) -> str:
    return f"project: contract\ntargets:\n  iv:\n    provider: instaview\n    base_url: {url}\n"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Path, str, Recorded]]:
    """(project root, sandbox state, Instaview's base URL, the requests it answered)."""
    state = tmp_path / "sandbox"
    with serve(state, "instaview") as (url, log):
        yield tmp_path / "project", state, url, log


def test_every_field_applied_updated_cleared_referenced_and_destroyed(
    served: tuple[Path, Path, str, Recorded],
) -> None:
    root, state, url, log = served
    when, later = soon(3), soon(4)
    write_project(root, project(url), {"eng/platform": full(when)})
    apply_ok(root, TOKEN)
    first = held(state)
    (agent,) = first["agent"].values()
    assert (agent["voiceId"], agent["cefrLevel"], agent["duration"]) == ("ALEX", "B2", 25)
    (job,) = first["job"].values()
    assert job["location"]["city"] == "Bratislava" and job["humanRecruiter"] == "Jana Nováková"
    assert job["metadata"]["externalJobId"] == "JOB-12345"
    (candidate,) = first["candidate"].values()
    assert candidate["phoneNumber"] == "+421915123456"
    assert candidate["metadata"]["externalId"] == "ATS-1"
    assert candidate["jobIds"] == [job["id"]]
    plans_nothing(root, TOKEN)  # what was sent reads back as the definition says

    edited = full(when).replace("voice_id: ALEX", "voice_id: EMMA").replace("C1", "B2")
    edited = edited.replace("Health insurance", "Meal vouchers").replace("ATS-1", "ATS-2")
    write_project(root, project(url), {"eng/platform": edited})
    apply_ok(root, TOKEN)
    in_place = held(state)
    for kind in ("agent", "job", "candidate", "session"):  # all updated in place
        assert in_place[kind].keys() == first[kind].keys(), kind
    (job,) = in_place["job"].values()
    assert job["benefits"] == "Meal vouchers" and job["metadata"]["interform"]

    write_project(root, project(url), {"eng/platform": cleared(later)})
    apply_ok(root, TOKEN)
    second = held(state)
    (agent,) = second["agent"].values()
    for key in ("voiceId", "cefrLevel", "duration", "companyPhoneNumberId"):
        assert agent.get(key) is None, key
    (job,) = second["job"].values()
    assert "benefits" not in job and "location" not in job and job["requiredSkills"] == ["Go"]
    (candidate,) = second["candidate"].values()
    assert "phoneNumber" not in candidate and candidate["gdprExpiryDate"] == "2031-01-31"
    assert candidate["jobIds"] == [job["id"]]
    assert len(second["session"]) == 1
    plans_nothing(root, TOKEN)

    lock = read_lockfile(root / "interform.lock")
    assert lock is not None
    ids = {
        a: str(lock.entries[f"eng/platform@iv{a}"].remote_id)
        for a in ("", "#:job", "#jana:candidate")
    }
    reused = referencing(ids[""], ids["#:job"], ids["#jana:candidate"])
    write_project(root, project(url), {"eng/platform": cleared(later), "eng/again": reused})
    before, mark = held(state), len(log.requests)
    apply_ok(root, TOKEN)
    after = held(state)
    for kind in ("agent", "job", "candidate"):
        assert after[kind] == before[kind], f"a referenced {kind} was changed"
    touched = [s for s in log.since(mark) if s.method in ("PATCH", "DELETE")]
    assert touched == [], "nothing is updated or deleted, least of all what is referenced"
    (made,) = log.bodies("/interviews", mark)
    assert (made["agentId"], made["jobId"]) == (ids[""], ids["#:job"])
    assert made["candidateId"] == ids["#jana:candidate"]
    write_project(root, project(url), {"eng/platform": cleared(later), "eng/again": ""})
    apply_ok(root, TOKEN)
    assert held(state)["candidate"] == before["candidate"]  # referenced: kept

    result = cli(root, TOKEN, "destroy", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert held(state) == {}, "Instaview holds nothing interform made"
    assert invalid_requests(log) == []
    assert nulls(log) == []
    assert unchecked_writes(log) == []
    sent = {(s.method, "/" + s.path.split("/")[1]) for s in log.requests}
    for endpoint in ("agents", "jobs", "candidates"):
        assert {("POST", f"/{endpoint}"), ("PATCH", f"/{endpoint}")} <= sent, endpoint
    assert ("POST", "/interviews") in sent
