"""Lockfiles written before Instaview jobs and candidates were managed objects.

Then a session's request held its job and candidate inline: each session create made a
job and a candidate of its own, returned only by id (the job in `private.job_id`, the
candidate in `urls.candidate_id`). Reading such a lockfile records those objects at
their new addresses, so nothing is made twice and nothing is left behind:

- each session's candidate becomes `<definition>@<target>#<session>:candidate`, with the
  job it was made for: the session keeps it, so no session is replaced for it;
- the job of the earliest session becomes the definition's job `...#:job`; the copies
  the other sessions made are kept as objects awaiting removal (`...#:job~<id>`);
- the session's request names both by id, as a session request does now.

The next plan then shows a session made with a copy of the job as replaced (its job id
cannot change in place; the plan says the old session is deleted with any results), and
the copy removed after it. A session made with the definition's job stays as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from interform.digest import body_digest
from interform.lockfile.model import Entry, Lockfile
from interform.model.address import definition_address, part_address
from interform.model.identity import Identity
from interform.model.remote_id import remote_id_problem

_PROVIDER = "instaview"


def upgrade(lock: Lockfile) -> Lockfile:
    """`lock` with every legacy Instaview session's job and candidate recorded as their
    own entries (unchanged when there is none)."""
    legacy = sorted(
        ((address, entry) for address, entry in lock.entries.items() if _legacy(entry)),
        key=lambda item: (item[1].created_at or "", item[0]),
    )
    if not legacy:
        return lock
    entries = dict(lock.entries)
    for address, entry in legacy:
        entries.update(_parts(address, entry, entries))
    return lock.model_copy(update={"entries": entries})


def _legacy(entry: Entry) -> bool:
    request = entry.request or {}
    return (
        entry.provider == _PROVIDER
        and entry.kind == "session"
        and entry.remote_id is not None
        and ("job" in request or "candidate" in request)
    )


def _parts(address: str, session: Entry, entries: Mapping[str, Entry]) -> dict[str, Entry]:
    """The entries one legacy session leads to: itself rewritten, its candidate, and its
    job (the definition's, or a copy awaiting removal)."""
    request = dict(session.request or {})
    found: dict[str, Entry] = {}
    owner = definition_address(address)
    job_id = _id(session.private.get("job_id"))
    inline_job = request.pop("job", None)
    if isinstance(inline_job, Mapping) and job_id is not None:
        request["jobId"] = job_id
        job = _part(session, part_address(owner, "job"), "job")
        held = entries.get(job.address)
        if held is not None and held.remote_id != job_id:
            job = job.deposed(job_id)
        if held is None or held.remote_id != job_id:
            found[job.address] = _entry(job, session, dict(inline_job), job_id)
    inline_candidate = request.pop("candidate", None)
    candidate_id = _id(session.urls.get("candidate_id"))
    if isinstance(inline_candidate, Mapping) and candidate_id is not None:
        request["candidateId"] = candidate_id
        body = dict(inline_candidate)
        if "jobId" not in body and "jobId" in request:
            body["jobId"] = request["jobId"]
        candidate = _part(session, part_address(address, "candidate"), "candidate")
        found[candidate.address] = _entry(candidate, session, body, candidate_id)
    if not found:
        return {}
    request = _inline_back(request, inline_job, inline_candidate)
    found[address] = session.model_copy(update={"request": request, "digest": body_digest(request)})
    return found


def _inline_back(request: dict[str, Any], job: object, candidate: object) -> dict[str, Any]:
    """What could not be given an entry (its id was never recorded) stays inline."""
    if job is not None and "jobId" not in request:
        request["job"] = job
    if candidate is not None and "candidateId" not in request:
        request["candidate"] = candidate
    return request


def _part(session: Entry, address: str, kind: str) -> Identity:
    """The `kind` object at `address` a session made: owned as the session is."""
    return replace(session.identity(address), kind=kind)


def _entry(identity: Identity, session: Entry, body: dict[str, Any], remote_id: str) -> Entry:
    """The entry of a job or candidate `session` made."""
    return Entry.of(
        identity,
        remote_id=remote_id,
        digest=body_digest(body),
        request=body,
        source=session.source,
        created_at=session.created_at,
        updated_at=session.updated_at,
        protect=session.protect,
    )


def _id(value: object) -> str | None:
    return value if isinstance(value, str) and remote_id_problem(value) is None else None
