"""Instaview's rules for a session request that its field list alone does not state:
candidate/job alternatives, the agent's focus, the 30-day scheduling window and the
metadata limits. Checked at plan time so a refused body never reaches apply.

The request schema expresses the alternatives too (for the published copy and the
emulator), but its combinator messages are unreadable; these rules say the same with a
precise pointer, and `request_problems` drops the schema's version.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

from interform.model import limits
from interform.providers.base import BodyProblem, make_marker
from interform.providers.instaview.render import parse_iso, session_wire

if TYPE_CHECKING:
    from interform.providers.base import DesiredResource

# stand-ins for what apply injects, as long as the real values, so size limits hold
PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000"
_PLACEHOLDER_PROJECT = "0" * 36

# "is required" problems the rules below explain better (alternatives, not plain fields)
_RULE_OWNED = frozenset(
    {"/candidateId", "/candidate", "/candidate/email", "/candidate/phoneNumber", "/agent"}
)


def request_problems(
    res: DesiredResource,
    operation: Literal["create", "update"],
    now: datetime | None = None,
) -> list[BodyProblem]:
    from interform.providers import schemas

    if res.kind == "agent":
        return schemas.problems(f"instaview.agent.{operation}.request", dict(res.body))
    if operation == "update":
        return [BodyProblem("", "cannot be updated: every change replaces an Instaview session")]
    wire = session_wire(res.body, make_marker(_PLACEHOLDER_PROJECT, res.address), PLACEHOLDER_ID)
    found = session_rules(wire, res.context.get("agent_focus"), now or datetime.now(timezone.utc))
    schema = [
        p
        for p in schemas.problems("instaview.session.create.request", wire)
        if p.pointer and not (p.message == "is required" and p.pointer in _RULE_OWNED)
    ]
    return sorted({*found, *schema}, key=lambda p: (p.pointer, p.message))


def session_rules(
    wire: Mapping[str, Any], agent_focus: str | None, now: datetime
) -> list[BodyProblem]:
    """Problems with a complete `POST /interviews` body (agentId and marker included)."""
    return [
        *_candidate_rules(wire),
        *_job_rules(wire, agent_focus),
        *_schedule_rules(wire.get("scheduleTime"), now),
        *_metadata_rules(wire.get("metadata")),
    ]


def _candidate_rules(wire: Mapping[str, Any]) -> list[BodyProblem]:
    inline = wire.get("candidate")
    if "candidateId" in wire and inline is not None:
        return [
            BodyProblem(
                "/candidate",
                "cannot be combined with candidate_id: Instaview takes an existing "
                "candidate or an inline one — keep one of them",
            )
        ]
    if inline is None:
        if "candidateId" not in wire:
            return [
                BodyProblem(
                    "",
                    "names no candidate — set candidate_id (an existing candidate) or "
                    "candidate (created with the session)",
                )
            ]
        return []
    if isinstance(inline, Mapping) and not (inline.get("email") or inline.get("phoneNumber")):
        return [BodyProblem("/candidate", "needs an email or a phone_number")]
    return []


def _job_sources(wire: Mapping[str, Any]) -> list[str]:
    """Pointers of everything in the body that gives the session a job."""
    sources = [f"/{key}" for key in ("jobId", "job") if wire.get(key) is not None]
    candidate = wire.get("candidate")
    if isinstance(candidate, Mapping) and candidate.get("jobId") is not None:
        sources.append("/candidate/jobId")
    return sources


def _job_rules(wire: Mapping[str, Any], agent_focus: str | None) -> list[BodyProblem]:
    sources = _job_sources(wire)
    found = []
    if "/jobId" in sources and "/job" in sources:
        found.append(
            BodyProblem(
                "/job", "cannot be combined with a job_id: give an existing job or an inline one"
            )
        )
    if "/candidate/jobId" in sources and len(sources) > 1:
        found.append(
            BodyProblem(
                "/candidate/jobId",
                "cannot be combined with job_id or job — give the session its job one way",
            )
        )
    if agent_focus == "GENERIC":
        found += [
            BodyProblem(p, "must not be set: a GENERIC-focus agent interviews without a job")
            for p in sources
        ]
    elif agent_focus and not sources and "candidate" in wire:
        found.append(
            BodyProblem(
                "",
                f"has no job, but a {agent_focus}-focus agent needs one — set job_id or job "
                "(on the session or in the instaview section) or candidate.job_id",
            )
        )
    return found


def _schedule_rules(value: object, now: datetime) -> list[BodyProblem]:
    when = parse_iso(value)
    if when is None:
        return []  # absent (start at once) or malformed (the schema's pattern says so)
    breach = limits.instaview_schedule(when, now)
    return [] if breach is None else [BodyProblem("/scheduleTime", _words(breach))]


def _metadata_rules(metadata: object) -> list[BodyProblem]:
    if not isinstance(metadata, Mapping):
        return []
    return [BodyProblem("/metadata", _words(b)) for b in limits.instaview_metadata(metadata)]


def _words(breach: limits.Breach) -> str:
    return f"{breach.message} — {breach.fix}"
