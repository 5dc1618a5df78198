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
from interform.providers.base import KNOWN_AFTER_APPLY, BodyProblem, make_marker
from interform.providers.instaview.render import parse_iso, session_wire, with_marker

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

    body = _placeheld(res)
    marker = make_marker(_PLACEHOLDER_PROJECT, res.address)
    if res.kind == "agent":
        return schemas.problems(f"instaview.agent.{operation}.request", body)
    if res.kind in ("job", "candidate"):
        sent = with_marker(body, marker)
        found = [
            p
            for p in schemas.problems(f"instaview.{res.kind}.{operation}.request", sent)
            if p.pointer or res.kind != "candidate"  # the email-or-phone rule says it better
        ]
        if res.kind == "candidate" and operation == "create":
            found += _reachable(sent, "")
        return [*found, *_metadata_rules(sent.get("metadata"))]
    if operation == "update":
        return [BodyProblem("", "cannot be updated: every change replaces an Instaview session")]
    wire = session_wire(body, marker, PLACEHOLDER_ID)
    found = session_rules(
        wire,
        res.context.get("agent_focus"),
        now or datetime.now(timezone.utc),
        new_candidate=bool(res.context.get("jobless_candidate")),
    )
    schema = [
        p
        for p in schemas.problems("instaview.session.create.request", wire)
        if p.pointer and not (p.message == "is required" and p.pointer in _RULE_OWNED)
    ]
    return sorted({*found, *schema}, key=lambda p: (p.pointer, p.message))


def _placeheld(res: DesiredResource) -> dict[str, Any]:
    """The body with a stand-in for each id of a referenced object still to be made."""
    body = dict(res.body)
    for key in res.refs:
        if body.get(key) in (None, KNOWN_AFTER_APPLY):
            body[key] = PLACEHOLDER_ID
    return body


def session_rules(
    wire: Mapping[str, Any], agent_focus: str | None, now: datetime, *, new_candidate: bool = False
) -> list[BodyProblem]:
    """Problems with a complete `POST /interviews` body (agentId and marker included);
    `new_candidate`: its candidate is the one the definition makes (so it has no job
    but the one the body gives)."""
    return [
        *_candidate_rules(wire),
        *_job_rules(wire, agent_focus, new_candidate or "candidate" in wire),
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
    return _reachable(inline, "/candidate")


def _reachable(candidate: object, pointer: str) -> list[BodyProblem]:
    if isinstance(candidate, Mapping) and not (
        candidate.get("email") or candidate.get("phoneNumber")
    ):
        return [BodyProblem(pointer, "needs an email or a phone_number")]
    return []


def _job_sources(wire: Mapping[str, Any]) -> list[str]:
    """Pointers of everything in the body that gives the session a job."""
    sources = [f"/{key}" for key in ("jobId", "job") if wire.get(key) is not None]
    candidate = wire.get("candidate")
    if isinstance(candidate, Mapping) and candidate.get("jobId") is not None:
        sources.append("/candidate/jobId")
    return sources


def _job_rules(
    wire: Mapping[str, Any], agent_focus: str | None, new_candidate: bool
) -> list[BodyProblem]:
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
    elif agent_focus and not sources and new_candidate:
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
