"""The Instaview contract: a definition that sets every field interform can set on
Instaview (agent, job, candidates, sessions) is applied, updated with every optional
setting changed or cleared, used by a second definition that references its agent, job
and candidate by id, and destroyed. Every request the apply engine sends is checked on
the wire against the request schema of its endpoint in `src/interform/data/providers/`,
and no body holds a null; afterwards Instaview holds nothing interform made, and the
objects only referenced by id were never updated or deleted while referenced.

Seed 002 (`POST /interviews`) names 49 request fields (44 in its request example,
counting nested ones such as `job.location.city` and `agent.voiceId`, and 5 more in its
prose examples); a definition sets 46 of them, every one exercised here. Not settable:
`job.jobTitle`, `job.jobDescription` and `job.languages`, the prose examples' other
spellings of `title`, `description` and `languageRequirements`, which are."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from apply.support import Tap, apply_with, remote_objects, sandbox_lock
from interform.providers import schemas
from project_files import write_project

PROJECT = """\
project: contract
targets:
  iv:
    provider: instaview
"""

# (method, path pattern) -> request schema of the endpoint
SCHEMAS = {
    ("POST", "/agents"): "instaview.agent.create.request",
    ("PATCH", "/agents/*"): "instaview.agent.update.request",
    ("POST", "/jobs"): "instaview.job.create.request",
    ("PATCH", "/jobs/*"): "instaview.job.update.request",
    ("POST", "/candidates"): "instaview.candidate.create.request",
    ("PATCH", "/candidates/*"): "instaview.candidate.update.request",
    ("POST", "/interviews"): "instaview.session.create.request",
}


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


def cleared() -> str:
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
      schedule_time: "{soon(4)}"
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


class Contract:
    """A tap rule checking every request against its endpoint's schema."""

    def __init__(self) -> None:
        self.checked: list[str] = []
        self.broken: list[str] = []

    def __call__(self, target: str, request: httpx.Request) -> None:
        name = _schema(request.method, request.url.path)
        if name is None:
            return None
        body = json.loads(request.read() or b"null")
        self.checked.append(f"{request.method} {request.url.path}")
        for problem in schemas.problems(name, body):
            self.broken.append(f"{request.method} {request.url.path}: {problem}")
        if _holds_null(body):
            self.broken.append(f"{request.method} {request.url.path}: null in {body}")
        return None


def _schema(method: str, path: str) -> str | None:
    parts = path.rstrip("/").split("/")
    pattern = "/".join(parts[:2]) + ("/*" if len(parts) > 2 else "")
    return SCHEMAS.get((method, pattern))


def _holds_null(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_holds_null(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_null(v) for v in value)
    return False


def held(root: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Instaview's objects by kind, then id."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for (platform, _), objects in remote_objects(root).items():
        if platform == "instaview":
            for key, obj in objects.items():
                kind, oid = key.split("/", 1)
                found.setdefault(kind, {})[oid] = obj
    return found


def run(root: Path, tap: Tap, **options: Any) -> str:
    code, out = apply_with(root, tap, **options)
    assert code == 0, out
    return out


@pytest.fixture
def contract(tmp_path: Path) -> tuple[Tap, Contract]:
    tap, rule = Tap(tmp_path), Contract()
    tap.rules.append(rule)
    return tap, rule


def test_every_field_applied_updated_cleared_referenced_and_destroyed(
    tmp_path: Path, contract: tuple[Tap, Contract]
) -> None:
    tap, rule = contract
    when = soon(3)
    write_project(tmp_path, PROJECT, {"eng/platform": full(when)})
    run(tmp_path, tap)
    first = held(tmp_path)
    (agent,) = first["agent"].values()
    assert (agent["voiceId"], agent["cefrLevel"], agent["duration"]) == ("ALEX", "B2", 25)
    (job,) = first["job"].values()
    assert job["location"]["city"] == "Bratislava" and job["humanRecruiter"] == "Jana Nováková"
    assert job["metadata"]["externalJobId"] == "JOB-12345"
    (candidate,) = first["candidate"].values()
    assert candidate["phoneNumber"] == "+421915123456"
    assert candidate["metadata"]["externalId"] == "ATS-1"
    assert candidate["jobIds"] == [job["id"]]

    edited = full(when).replace("voice_id: ALEX", "voice_id: EMMA").replace("C1", "B2")
    edited = edited.replace("Health insurance", "Meal vouchers").replace("ATS-1", "ATS-2")
    write_project(tmp_path, PROJECT, {"eng/platform": edited})
    run(tmp_path, tap)
    in_place = held(tmp_path)
    assert in_place["agent"].keys() == first["agent"].keys()  # all updated in place
    assert in_place["job"].keys() == first["job"].keys()
    assert in_place["candidate"].keys() == first["candidate"].keys()
    assert in_place["session"].keys() == first["session"].keys()
    (job,) = in_place["job"].values()
    assert job["benefits"] == "Meal vouchers" and job["metadata"]["interform"]

    write_project(tmp_path, PROJECT, {"eng/platform": cleared()})
    run(tmp_path, tap)
    second = held(tmp_path)
    (agent,) = second["agent"].values()
    for key in ("voiceId", "cefrLevel", "duration", "companyPhoneNumberId"):
        assert agent.get(key) is None, key
    (job,) = second["job"].values()
    assert "benefits" not in job and "location" not in job and job["requiredSkills"] == ["Go"]
    (candidate,) = second["candidate"].values()
    assert "phoneNumber" not in candidate and candidate["gdprExpiryDate"] == "2031-01-31"
    assert candidate["jobIds"] == [job["id"]]
    assert len(second["session"]) == 1

    ids = sandbox_lock(tmp_path).entries
    reused = referencing(
        str(ids["eng/platform@iv"].remote_id),
        str(ids["eng/platform@iv#:job"].remote_id),
        str(ids["eng/platform@iv#jana:candidate"].remote_id),
    )
    write_project(tmp_path, PROJECT, {"eng/platform": cleared(), "eng/again": reused})
    before = held(tmp_path)
    run(tmp_path, tap)
    after = held(tmp_path)
    for kind in ("agent", "job", "candidate"):
        assert after[kind] == before[kind], f"a referenced {kind} was changed"
    write_project(tmp_path, PROJECT, {"eng/platform": cleared(), "eng/again": ""})
    run(tmp_path, tap)
    assert held(tmp_path)["candidate"] == before["candidate"]  # referenced: kept

    run(tmp_path, tap, destroy=True)
    assert {kind: objs for kind, objs in held(tmp_path).items() if objs} == {}
    assert rule.broken == []
    for endpoint in ("POST /agents", "PATCH /jobs", "PATCH /candidates", "POST /interviews"):
        assert any(c.startswith(endpoint) for c in rule.checked), endpoint
