"""Instaview: a definition as request bodies, and what the platform returns in that shape.

Pure (no HTTP). The agent body is `POST /agents` in Instaview's field names; each session
body is `POST /interviews` without `agentId` and the ownership marker, which `create`
injects. Inline candidates and jobs use the seed's request-example spelling (`title`,
`description`, `requiredSkills`, `languageRequirements`), not its prose examples'.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from interform.isotime import parse_iso as parse_iso  # rules.py and recovery.py import it from here
from interform.model import languages
from interform.model.address import resource_address
from interform.model.definition import section
from interform.providers.base import (
    DesiredResource,
    Placement,
    YamlPath,
    metadata_with_marker,
    split_metadata_marker,
)

if TYPE_CHECKING:
    from interform.model.definition import Definition
    from interform.providers.instaview.settings import InstaviewSession, InstaviewSettings

PROVIDER = "instaview"
CANDIDATE_KIND = "candidate"
JOB_PART = ":job"  # the job's part of its address: `<definition>@<target>#:job`

# the agent's create fields, in the platform's spelling; read-back keeps exactly these
AGENT_FIELDS = (
    "name",
    "type",
    "focus",
    "language",
    "duration",
    "questions",
    "instructions",
    "voiceId",
    "companyPhoneNumberId",
    "cefrLevel",
)
# the job's and candidate's create fields interform sets, in the platform's spelling
JOB_FIELDS = (
    "title",
    "description",
    "jobUrl",
    "benefits",
    "requiredSkills",
    "niceToHaveSkills",
    "languageRequirements",
    "education",
    "experience",
    "contractType",
    "status",
    "location",
    "salary",
    "humanRecruiter",
    "otherRequirements",
    "metadata",
)
CANDIDATE_FIELDS = (
    "firstName",
    "lastName",
    "email",
    "phoneNumber",
    "gdprExpiryDate",
    "jobId",
    "metadata",
)
# agent body field -> instaview section key (generate.py reads it the other way round)
SETTINGS_FIELDS: Mapping[str, str] = {
    "type": "type",
    "focus": "focus",
    "duration": "duration",
    "voiceId": "voice_id",
    "companyPhoneNumberId": "company_phone_number_id",
    "cefrLevel": "cefr_level",
}


class _Body:
    """A request body under construction, with the YAML path behind each pointer."""

    def __init__(self) -> None:
        self.body: dict[str, Any] = {}
        self.origins: dict[str, YamlPath] = {}

    def put(self, key: str, value: Any, path: YamlPath) -> None:
        if value is None:
            return
        self.body[key] = value
        self.origins["/" + key] = path


def render(defn: Definition, interview: str, target: str, source: str) -> list[DesiredResource]:
    """The agent (unless an existing one is referenced), the job, then each session's
    candidate and the session itself."""
    settings: InstaviewSettings = section(defn, PROVIDER)
    place = Placement(defn, interview, target, source, PROVIDER)
    owner = resource_address(interview, target)
    parent = None if settings.agent_id else owner
    job = _job_resource(place, settings, parent)
    resources = [] if job is None else [job]
    for index in range(len(settings.sessions)):
        candidate = _candidate_resource(place, settings, index, parent, job)
        resources += [] if candidate is None else [candidate]
        resources.append(_session_resource(place, settings, index, parent, job, candidate))
    if settings.agent_id:
        return resources
    # the definition's skills reach Instaview only as the job's default skills
    skills_sent = job is not None and job.origins.get("/requiredSkills") == ("skills",)
    agent = _agent_parts(defn, settings)
    notes = _agent_notes(defn, skills_sent)
    about = {note: "questions" for note in notes if note.startswith(_PLAIN_QUESTIONS)}
    agent_resource = place.resource(
        "agent", agent.body, origins=agent.origins, notes=notes, note_fields=about
    )
    return [agent_resource, *resources]


# ---------------------------------------------------------------------- agent


def _agent_parts(defn: Definition, settings: InstaviewSettings) -> _Body:
    b = _Body()
    b.put("name", defn.title, ("title",))
    for key, attr in SETTINGS_FIELDS.items():
        b.put(key, getattr(settings, attr), (PROVIDER, attr))
    # an unsupported code goes out as written, so the schema flags it at `language:`
    b.put(
        "language", languages.to_platform(defn.language, PROVIDER) or defn.language, ("language",)
    )
    b.put("questions", [q.text for q in defn.questions], ("questions",))
    for index in range(len(defn.questions)):
        b.origins[f"/questions/{index}"] = ("questions", index, "text")
    if settings.instructions is not None:
        b.put("instructions", settings.instructions, (PROVIDER, "instructions"))
    else:
        b.put("instructions", defn.description, ("description",))
    return b


_PLAIN_QUESTIONS = "answer times, answer types and follow-ups are not sent"


def _agent_notes(defn: Definition, skills_sent: bool) -> tuple[str, ...]:
    notes = []
    if any(q.answer_time or q.answer_type != "audio" or q.follow_up_to for q in defn.questions):
        notes.append(f"{_PLAIN_QUESTIONS}: Instaview questions are plain text")
    if defn.skills and not skills_sent:
        notes.append("skills are not sent: Instaview agents have no skills field")
    return tuple(notes)


def patch_body(
    body: Mapping[str, Any], changed: Iterable[str], fields: Iterable[str]
) -> dict[str, Any]:
    """`PATCH /agents|jobs|candidates/{id}`: the changed fields, never null. Instaview
    keeps an omitted field and documents no way to clear one, so a field the definition
    stops setting is planned as a replacement (`KindSpec.uncleared`), never sent here."""
    known = set(fields)
    return {key: body[key] for key in changed if key in known and body.get(key) is not None}


def agent_from_remote(remote: Mapping[str, Any]) -> dict[str, Any]:
    """An agent as returned by `GET /agents/{id}`, in the shape of the rendered body."""
    body = {key: remote[key] for key in AGENT_FIELDS if remote.get(key) is not None}
    body.setdefault("questions", [])
    return body


# ---------------------------------------------------------------------- job, candidates


def _job_resource(
    place: Placement, settings: InstaviewSettings, parent: str | None
) -> DesiredResource | None:
    """`POST /jobs` for the definition's job (without the marker), if it defines one."""
    if settings.job is None:
        return None
    b = _Body()
    b.origins[""] = (PROVIDER, "job")
    job = camel_dump(settings.job, "", (PROVIDER, "job"), b)
    _job_defaults(place.defn, job, b)
    b.body = job
    return place.resource("job", job, JOB_PART, parent=parent, origins=b.origins)


def _candidate_resource(
    place: Placement,
    settings: InstaviewSettings,
    index: int,
    parent: str | None,
    job: DesiredResource | None,
) -> DesiredResource | None:
    """`POST /candidates` for a session's candidate (without the marker): associated with
    the job the session uses, since Instaview interviews a candidate only for one of
    their jobs."""
    session = settings.sessions[index]
    if session.candidate is None:
        return None
    here: YamlPath = (PROVIDER, "sessions", index, "candidate")
    b = _Body()
    b.origins[""] = here
    b.body = camel_dump(session.candidate, "", here, b)
    refs: dict[str, str] = {}
    if "jobId" not in b.body:
        literal, ref = _session_job(settings, index, job)
        if literal is not None:
            b.put("jobId", literal, _job_id_origin(settings, index))
        elif ref is not None:
            refs["jobId"] = ref.address
            b.origins["/jobId"] = (PROVIDER, "job")
    return place.resource(
        "candidate",
        b.body,
        f"{session.name}:{CANDIDATE_KIND}",
        parent=parent,
        origins=b.origins,
        refs=refs,
    )


def _session_job(
    settings: InstaviewSettings, index: int, job: DesiredResource | None
) -> tuple[str | None, DesiredResource | None]:
    """(an existing job's id, or the definition's job) a session is held for."""
    session = settings.sessions[index]
    literal = session.job_id or settings.job_id
    return literal, (job if literal is None else None)


def _job_id_origin(settings: InstaviewSettings, index: int) -> YamlPath:
    if settings.sessions[index].job_id is not None:
        return (PROVIDER, "sessions", index, "job_id")
    return (PROVIDER, "job_id")


def _job_defaults(defn: Definition, job: dict[str, Any], b: _Body) -> None:
    if "title" not in job:
        job["title"] = defn.title
        b.origins["/title"] = ("title",)
    if "description" not in job and defn.description is not None:
        job["description"] = defn.description
        b.origins["/description"] = ("description",)
    if "requiredSkills" not in job and defn.skills:
        job["requiredSkills"] = [skill.name for skill in defn.skills]
        b.origins["/requiredSkills"] = ("skills",)


# ---------------------------------------------------------------------- sessions


def _session_resource(
    place: Placement,
    settings: InstaviewSettings,
    index: int,
    parent: str | None,
    job: DesiredResource | None,
    candidate: DesiredResource | None,
) -> DesiredResource:
    session = settings.sessions[index]
    b, refs = _session_parts(settings, index, job, candidate)
    # an existing candidate held for the job this definition makes
    unlinked = session.candidate_id is not None and "jobId" in refs
    return place.resource(
        "session",
        b.body,
        session.name,
        parent=parent,
        parent_remote_id=settings.agent_id,
        origins=b.origins,
        notes=_session_notes(session, unlinked),
        context={
            "agent_focus": None if settings.agent_id else settings.focus,
            # the candidate the definition makes, with no job of its own
            "jobless_candidate": candidate is not None
            and "jobId" not in candidate.body
            and "jobId" not in candidate.refs,
        },
        refs=refs,
    )


def _session_parts(
    settings: InstaviewSettings,
    index: int,
    job: DesiredResource | None,
    candidate: DesiredResource | None,
) -> tuple[_Body, dict[str, str]]:
    """`POST /interviews` for one session, minus `agentId` and the marker; the ids of the
    managed job and candidate it uses are references, filled in when planned."""
    session = settings.sessions[index]
    here: YamlPath = (PROVIDER, "sessions", index)
    b = _Body()
    b.origins[""] = here
    refs: dict[str, str] = {}
    b.put("candidateId", session.candidate_id, (*here, "candidate_id"))
    if candidate is not None:
        refs["candidateId"] = candidate.address
        b.origins["/candidateId"] = (*here, "candidate")
    if session.candidate is None or session.candidate.job_id is None:
        literal, ref = _session_job(settings, index, job)
        b.put("jobId", literal, _job_id_origin(settings, index))
        if ref is not None:
            refs["jobId"] = ref.address
            b.origins["/jobId"] = (PROVIDER, "job")
    if session.schedule_time is not None:
        b.put("scheduleTime", iso_utc(session.schedule_time), (*here, "schedule_time"))
    b.put("metadata", dict(session.metadata) if session.metadata else None, (*here, "metadata"))
    b.put("isTest", session.is_test, (*here, "is_test"))
    return b, refs


# Instaview takes a `jobId` with an existing `candidateId` only when the job is already
# one of the candidate's (seed 002, "Job Validation"); the one documented way to add it is
# updating the candidate (`PATCH /candidates/{id}` with `jobIds`), which interform never
# does to a candidate it only references. An inline `job` would link it, but as a new job
# per session, not the definition's.
UNLINKED_CANDIDATE = (
    "the existing candidate (candidate_id) is not linked to this definition's job: "
    "Instaview links a candidate to a job only by updating the candidate, and interform "
    "never updates a candidate it does not manage; Instaview refuses this interview until "
    "the candidate has the job (add it to the candidate in Instaview once the job exists), "
    "or set the session's job_id to one of the candidate's jobs"
)


def _session_notes(session: InstaviewSession, unlinked: bool) -> tuple[str, ...]:
    notes = (UNLINKED_CANDIDATE,) if unlinked else ()
    if session.is_test:
        return notes
    if session.schedule_time is None:
        return (
            *notes,
            "starts as soon as it is created (no schedule_time) and uses interview minutes",
        )
    return (*notes, "uses Instaview interview minutes")


def session_wire(body: Mapping[str, Any], marker: str, agent_id: str) -> dict[str, Any]:
    """The exact `POST /interviews` body: the rendered one plus the parent agent's id and
    the ownership marker merged into the user's metadata."""
    return {
        **body,
        "agentId": agent_id,
        "metadata": metadata_with_marker(body.get("metadata"), marker),
    }


def session_from_remote(
    remote: Mapping[str, Any], sent: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A session as returned by `GET /interviews/{id}`, in the shape of the body sent.

    Instaview turns an inline candidate or job into a new entity and returns only its id,
    so those are write-only: they are carried over from `sent` (the request last applied).
    A `jobId` or `scheduledAt` the platform chose by itself (the candidate's first job, an
    immediate start) is not part of the body unless the request set it; without a request
    (import), everything observable is kept."""
    known = sent is not None
    sent = sent or {}
    body: dict[str, Any] = {}
    if "candidate" in sent:
        body["candidate"] = sent["candidate"]
    elif remote.get("candidateId"):
        body["candidateId"] = remote["candidateId"]
    if "job" in sent:
        body["job"] = sent["job"]
    elif remote.get("jobId") and ("jobId" in sent or not known):
        body["jobId"] = remote["jobId"]
    scheduled = parse_iso(remote.get("scheduledAt"))
    if scheduled is not None and ("scheduleTime" in sent or not known):
        body["scheduleTime"] = iso_utc(scheduled)
    metadata, _ = split_metadata_marker(remote.get("metadata"))
    if metadata:
        body["metadata"] = metadata
    body["isTest"] = bool(remote.get("isTest", sent.get("isTest", False)))
    return body


def job_from_remote(remote: Mapping[str, Any]) -> dict[str, Any]:
    """A job as `GET /jobs/{id}` returns it, in the shape of the rendered body."""
    return _known_fields(remote, JOB_FIELDS)


def candidate_from_remote(
    remote: Mapping[str, Any], sent: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A candidate as `GET /candidates/{id}` returns it, in the shape of the rendered
    body: its jobs are a list there, and the one the body names counts while it is one."""
    body = _known_fields(remote, CANDIDATE_FIELDS)
    jobs = remote.get("jobIds")
    jobs = [j for j in jobs if isinstance(j, str)] if isinstance(jobs, list) else []
    wanted = (sent or {}).get("jobId")
    if wanted in jobs or (wanted is not None and not jobs):
        body["jobId"] = wanted if wanted in jobs else None
    elif jobs and (sent is None or wanted is not None):
        body["jobId"] = jobs[0]
    return {k: v for k, v in body.items() if v is not None}


def _known_fields(remote: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    body = {key: remote[key] for key in fields if remote.get(key) is not None}
    metadata, _ = split_metadata_marker(remote.get("metadata"))
    body.pop("metadata", None)
    if metadata:
        body["metadata"] = metadata
    return body


def with_marker(body: Mapping[str, Any], marker: str | None) -> dict[str, Any]:
    """A job or candidate body as sent: the ownership marker in its metadata."""
    if marker is None:
        return dict(body)
    return {**body, "metadata": metadata_with_marker(body.get("metadata"), marker)}


# ---------------------------------------------------------------------- helpers


def camel_dump(model: BaseModel, pointer: str, path: YamlPath, b: _Body) -> dict[str, Any]:
    """A definition model in Instaview's camelCase, None dropped, origins recorded.
    Free-form dicts (metadata) are user data and keep their keys."""
    out: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if value is None:
            continue
        key = camel(name)
        out[key] = _plain(value, f"{pointer}/{key}", (*path, name), b)
        b.origins[f"{pointer}/{key}"] = (*path, name)
    return out


def _plain(value: Any, pointer: str, path: YamlPath, b: _Body) -> Any:
    if isinstance(value, BaseModel):
        return camel_dump(value, pointer, path, b)
    if isinstance(value, list):
        return [_plain(item, f"{pointer}/{i}", (*path, i), b) for i, item in enumerate(value)]
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def iso_utc(moment: datetime) -> str:
    """One spelling for a time, to the second, whatever offset it was written or returned
    with; a time without an offset is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
