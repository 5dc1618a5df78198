"""What `interform validate` checks in a definition deployed to Instaview, beyond its
schema (limits stated only in prose, either-or fields). Each rule yields `Issue`s; the
registry adds `RULES` to the core rules of `interform.config.rules`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Final

from interform.config.issues import Issue
from interform.config.rules import LINEAGE_STAND_IN, Rule, RuleContext
from interform.model import limits
from interform.model.address import resource_address
from interform.model.definition import section
from interform.providers.instaview.settings import InstaviewSession, InstaviewSettings


def _sessions(ctx: RuleContext) -> Iterator[tuple[InstaviewSettings, int, InstaviewSession]]:
    if ctx.targeted("instaview"):
        settings: InstaviewSettings = section(ctx.definition, "instaview")
        for i, session in enumerate(settings.sessions):
            yield settings, i, session


def _session_path(i: int, *rest: str) -> tuple[str | int, ...]:
    return ("instaview", "sessions", i, *rest)


def instaview_session_names_unique(ctx: RuleContext) -> Iterator[Issue]:
    seen: set[str] = set()
    for _, i, session in _sessions(ctx):
        if session.name in seen:
            yield Issue(
                _session_path(i, "name"),
                f'session name "{session.name}" is used twice',
                "give each session its own name (it is part of the session's address)",
            )
        seen.add(session.name)


def instaview_candidates(ctx: RuleContext) -> Iterator[Issue]:
    for _, i, session in _sessions(ctx):
        if session.candidate_id is not None and session.candidate is not None:
            yield Issue(
                _session_path(i, "candidate_id"),
                f'session "{session.name}" sets both candidate_id and candidate',
                "keep candidate_id for an existing candidate, or candidate: to create one",
            )
        elif session.candidate_id is None and session.candidate is None:
            yield Issue(
                _session_path(i),
                f'session "{session.name}" has no candidate',
                "add candidate_id: (existing) or candidate: (first_name, last_name, email, "
                "gdpr_expiry_date)",
                at_key=True,
            )
        candidate = session.candidate
        if candidate is not None and not (candidate.email or candidate.phone_number):
            yield Issue(
                _session_path(i, "candidate"),
                f'the candidate of session "{session.name}" has neither email nor phone_number',
                "add email: or phone_number: so Instaview can reach the candidate",
                at_key=True,
            )


def instaview_job_sources(ctx: RuleContext) -> Iterator[Issue]:
    for settings, i, session in _sessions(ctx):
        if settings.job is not None and session.job_id is not None:
            yield Issue(
                _session_path(i, "job_id"),
                f'session "{session.name}" sets job_id while instaview.job creates a job',
                "keep one: job_id for an existing job, or the inline instaview.job",
            )
        candidate = session.candidate
        if candidate is not None and candidate.job_id is not None:
            others = [
                name
                for name, value in (
                    ("job_id", session.job_id),
                    ("instaview.job_id", settings.job_id),
                    ("instaview.job", settings.job),
                )
                if value is not None
            ]
            if others:
                yield Issue(
                    _session_path(i, "candidate", "job_id"),
                    f"candidate.job_id cannot be combined with {' and '.join(others)}",
                    "choose one way to give the session its job",
                )
    if ctx.targeted("instaview"):
        settings = section(ctx.definition, "instaview")
        if settings.job is not None and settings.job_id is not None:
            yield Issue(
                ("instaview", "job_id"),
                "instaview sets both job_id and job",
                "keep job_id for an existing job, or job: to create one with each session",
            )


def instaview_focus_and_job(ctx: RuleContext) -> Iterator[Issue]:
    if not ctx.targeted("instaview"):
        return
    settings: InstaviewSettings = section(ctx.definition, "instaview")
    if settings.focus == "GENERIC":
        yield from _generic_without_job(settings)
        return
    for _, i, session in _sessions(ctx):
        if session.candidate is None:
            continue  # an existing candidate may already have its job
        sources = (session.job_id, settings.job_id, settings.job, session.candidate.job_id)
        if all(source is None for source in sources):
            yield Issue(
                _session_path(i, "candidate"),
                f'session "{session.name}" creates a candidate but has no job '
                f"({settings.focus} agents need one)",
                "set instaview.job_id, instaview.job, the session's job_id or candidate.job_id",
                at_key=True,
            )


def _generic_without_job(settings: InstaviewSettings) -> Iterator[Issue]:
    fix = "remove it: a GENERIC agent interviews without a job (or change instaview.focus)"
    message = "a GENERIC-focus agent takes no job"
    if settings.job_id is not None:
        yield Issue(("instaview", "job_id"), message, fix)
    if settings.job is not None:
        yield Issue(("instaview", "job"), message, fix, at_key=True)
    for i, session in enumerate(settings.sessions):
        if session.job_id is not None:
            yield Issue(_session_path(i, "job_id"), message, fix)
        if session.candidate is not None and session.candidate.job_id is not None:
            yield Issue(_session_path(i, "candidate", "job_id"), message, fix)


def instaview_schedule(ctx: RuleContext) -> Iterator[Issue]:
    for _, i, session in _sessions(ctx):
        when = session.schedule_time
        if when is None:
            continue
        path = _session_path(i, "schedule_time")
        if when.tzinfo is None:
            yield Issue(
                path,
                "schedule_time has no time zone",
                "add Z (UTC) or an offset such as +02:00",
            )
            continue
        breach = limits.instaview_schedule(when, ctx.now)
        if breach is not None and not _scheduled_already(ctx, session.name, when):
            yield Issue(path, f"schedule_time {breach.message}", breach.fix)


def _scheduled_already(ctx: RuleContext, session: str, when: datetime) -> bool:
    """The lockfile records this session as created with this very schedule_time: that
    it has passed since only means the interview took place."""
    from interform.isotime import parse_iso

    sent = [
        ctx.applied(resource_address(ctx.address, target, session))
        for target in ctx.providers.get("instaview", [])
    ]
    return bool(sent) and all(
        s is not None and parse_iso(s.get("scheduleTime")) == when for s in sent
    )


def instaview_metadata(ctx: RuleContext) -> Iterator[Issue]:
    """The session's metadata as Instaview receives it, with the ownership marker."""
    from interform.providers.base import METADATA_MARKER_KEY, make_marker, metadata_with_marker

    for _, i, session in _sessions(ctx):
        if not session.metadata:
            continue
        path = _session_path(i, "metadata")
        if METADATA_MARKER_KEY in session.metadata:
            yield Issue(
                (*path, METADATA_MARKER_KEY),
                f'the metadata key "{METADATA_MARKER_KEY}" of session "{session.name}" is '
                "where interform keeps its ownership marker",
                "rename the key",
                at_key=True,
            )
        # the longest address makes the longest marker, so every target's fits if it does
        target = max(ctx.providers["instaview"], key=len)
        address = resource_address(ctx.address, target, session.name)
        marker = make_marker(ctx.project or LINEAGE_STAND_IN, address)
        for breach in limits.instaview_metadata(metadata_with_marker(session.metadata, marker)):
            message = f'the metadata of session "{session.name}" {breach.message}'
            yield Issue(path, message, breach.fix, at_key=True)


def reads_clock(ctx: RuleContext) -> bool:
    """A rule compared this definition with the clock (`instaview_schedule`): its
    verdict can change with time alone, so a clean result must not be reused."""
    return any(session.schedule_time is not None for _, _, session in _sessions(ctx))


def instaview_questions(ctx: RuleContext) -> Iterator[Issue]:
    if ctx.targeted("instaview") and not ctx.definition.questions:
        yield Issue(
            ("questions",), f"{ctx.on('instaview')} needs at least one question", "add questions:"
        )


RULES: Final[tuple[Rule, ...]] = (
    instaview_session_names_unique,
    instaview_candidates,
    instaview_job_sources,
    instaview_focus_and_job,
    instaview_schedule,
    instaview_metadata,
    instaview_questions,
)
