"""The rules of Instaview's `POST /interviews`, as its documentation states them.

Before the schema: candidateId XOR candidate, agentId XOR agent, jobId XOR job, and
candidate.jobId never with jobId/job. Against the account: the ids must exist, a
scheduleTime is in the future and at most 30 days ahead, metadata stays within 10 KB,
5 levels and 50 keys, a GENERIC-focus agent takes a candidate without any job, any
other agent needs one (jobId, job, candidate.jobId or the existing candidate's only job),
and a candidate with several jobs needs jobId.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from interform.isotime import parse_iso
from interform.sandbox.emulator import new_id
from interform.sandbox.store import Account, Obj

MAX_AHEAD = 30 * 86400.0
MAX_METADATA_BYTES, MAX_METADATA_DEPTH, MAX_METADATA_KEYS = 10 * 1024, 5, 50


@dataclass
class SessionPlan:
    """What creating one session needs to write, or why it cannot."""

    candidate_id: str = ""
    agent: Obj = field(default_factory=dict)  # the existing agent (empty: inline)
    inline_agent: Obj | None = None
    candidate: Obj | None = None  # candidate record to write (new, or given a new job)
    job: Obj | None = None  # inline job to create
    job_id: str | None = None
    problems: list[str] = field(default_factory=list)
    missing: tuple[str, str] | None = None  # (what, id) answered with 404


def session_rules(body: Any) -> list[str]:
    if not isinstance(body, dict):
        return []
    broken = [
        *_exactly_one(body, "candidateId", "candidate"),
        *_exactly_one(body, "agentId", "agent"),
    ]
    if "jobId" in body and "job" in body:
        broken.append("jobId and job are mutually exclusive")
    candidate = body.get("candidate")
    if isinstance(candidate, dict) and "jobId" in candidate and ("jobId" in body or "job" in body):
        broken.append("candidate.jobId cannot be combined with jobId or job")
    return broken


def _exactly_one(body: Obj, ref: str, inline: str) -> list[str]:
    if ref in body and inline in body:
        return [f"{ref} and {inline} are mutually exclusive"]
    if ref not in body and inline not in body:
        return [f"either {ref} or {inline} must be provided"]
    return []


def plan_session(body: Obj, account: Account, now: float) -> SessionPlan:
    plan = SessionPlan(problems=[*metadata_problems(body.get("metadata")), *_schedule(body, now)])
    focus = _agent(plan, body, account)
    existing = _candidate(plan, body, account)
    if plan.missing:
        return plan
    _job(plan, body, account, existing)
    has_jobs = plan.job_id is not None or bool(existing and existing.get("jobIds"))
    if focus == "GENERIC" and has_jobs:
        plan.problems.append("a GENERIC focus agent requires a candidate without job assignments")
    elif focus != "GENERIC" and plan.job_id is None and not plan.problems:
        plan.problems.append(
            "a job is required for agents whose focus is not GENERIC: "
            "give jobId, job or candidate.jobId"
        )
    return plan


def _agent(plan: SessionPlan, body: Obj, account: Account) -> Any:
    if "agent" in body:
        plan.inline_agent = body["agent"]
        return body["agent"].get("focus")
    agent = account.get("agent", body["agentId"])
    if agent is None:
        plan.missing = ("Agent", body["agentId"])
        return None
    plan.agent = agent
    return agent.get("focus")


def _candidate(plan: SessionPlan, body: Obj, account: Account) -> Obj | None:
    if "candidate" in body:
        inline = {k: v for k, v in body["candidate"].items() if k != "jobId"}
        plan.candidate = {"id": new_id(), **inline, "jobIds": []}
        plan.candidate_id = plan.candidate["id"]
        return None
    existing = account.get("candidate", body["candidateId"])
    if existing is None:
        plan.missing = plan.missing or ("Candidate", body["candidateId"])
        return None
    plan.candidate_id = existing["id"]
    return existing


def _job(plan: SessionPlan, body: Obj, account: Account, existing: Obj | None) -> None:
    jobs: list[str] = list(existing.get("jobIds") or []) if existing else []
    asked = body.get("jobId") or (body.get("candidate") or {}).get("jobId")
    if "job" in body:
        plan.job = {"id": new_id(), **body["job"]}
        plan.job_id = plan.job["id"]
    elif asked:
        if account.get("job", asked) is None:
            plan.problems.append(f"job {asked} does not exist in your company")
        elif existing is not None and asked not in jobs:
            plan.problems.append(f"job {asked} is not one of the candidate's jobs")
        plan.job_id = asked
    elif len(jobs) == 1:
        plan.job_id = jobs[0]
    elif len(jobs) > 1:
        plan.problems.append("Job ID must be provided when candidate has multiple job assignments")
    if plan.job_id and plan.job_id not in jobs:
        base = plan.candidate if plan.candidate is not None else existing
        if base is not None:
            plan.candidate = {**base, "jobIds": [*base.get("jobIds", []), plan.job_id]}


def _schedule(body: Obj, now: float) -> list[str]:
    if "scheduleTime" not in body:
        return []
    moment = parse_iso(body["scheduleTime"])
    if moment is None:
        return ["scheduleTime must be a valid ISO 8601 date string"]
    when = moment.timestamp()
    if when <= now:
        return ["scheduleTime must be in the future"]
    if when > now + MAX_AHEAD:
        return ["scheduleTime must be at most 30 days in the future"]
    return []


def metadata_problems(metadata: Any) -> list[str]:
    if metadata is None:
        return []
    problems = []
    if len(json.dumps(metadata, ensure_ascii=False).encode()) > MAX_METADATA_BYTES:
        problems.append("metadata must not be larger than 10KB")
    depth, keys = _shape(metadata)
    if depth > MAX_METADATA_DEPTH:
        problems.append(f"metadata must not be nested more than {MAX_METADATA_DEPTH} levels deep")
    if keys > MAX_METADATA_KEYS:
        problems.append(f"metadata must not have more than {MAX_METADATA_KEYS} keys")
    return problems


def _shape(value: Any) -> tuple[int, int]:
    """(nesting depth, number of keys at every level) of a JSON value."""
    if isinstance(value, dict):
        inner = [_shape(v) for v in value.values()]
        return 1 + max((d for d, _ in inner), default=0), len(value) + sum(k for _, k in inner)
    if isinstance(value, list):
        inner = [_shape(v) for v in value]
        return max((d for d, _ in inner), default=0), sum(k for _, k in inner)
    return 0, 0
