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
_SETTINGS_FIELDS = {  # agent body field -> instaview section key
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
    """The agent, then one resource per declared session."""
    settings: InstaviewSettings = section(defn, PROVIDER)
    place = Placement(defn, interview, target, source, PROVIDER)
    sessions = [
        _session_resource(place, settings, index) for index in range(len(settings.sessions))
    ]
    # the definition's skills reach Instaview only as an inline job's default skills
    skills_sent = any(s.origins.get("/job/requiredSkills") == ("skills",) for s in sessions)
    agent = _agent_parts(defn, settings)
    notes = _agent_notes(defn, skills_sent)
    about = {note: "questions" for note in notes if note.startswith(_PLAIN_QUESTIONS)}
    agent_resource = place.resource(
        "agent", agent.body, origins=agent.origins, notes=notes, note_fields=about
    )
    return [agent_resource, *sessions]


# ---------------------------------------------------------------------- agent


def _agent_parts(defn: Definition, settings: InstaviewSettings) -> _Body:
    b = _Body()
    b.put("name", defn.title, ("title",))
    for key, attr in _SETTINGS_FIELDS.items():
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


def agent_patch(body: Mapping[str, Any], changed: Iterable[str]) -> dict[str, Any]:
    """`PATCH /agents/{id}`: only the changed fields; null for an optional field the
    definition no longer sets, since an omitted field would keep its old value."""
    return {key: body.get(key) for key in changed if key in AGENT_FIELDS}


def agent_from_remote(remote: Mapping[str, Any]) -> dict[str, Any]:
    """An agent as returned by `GET /agents/{id}`, in the shape of the rendered body."""
    body = {key: remote[key] for key in AGENT_FIELDS if remote.get(key) is not None}
    body.setdefault("questions", [])
    return body


# ---------------------------------------------------------------------- sessions


def _session_resource(place: Placement, settings: InstaviewSettings, index: int) -> DesiredResource:
    session = settings.sessions[index]
    b = _session_parts(place.defn, settings, index)
    return place.resource(
        "session",
        b.body,
        session.name,
        parent=resource_address(place.interview, place.target),
        origins=b.origins,
        notes=_session_notes(session),
        context={"agent_focus": settings.focus},
    )


def _session_parts(defn: Definition, settings: InstaviewSettings, index: int) -> _Body:
    """`POST /interviews` for one session, minus `agentId` and the marker."""
    session = settings.sessions[index]
    here: YamlPath = (PROVIDER, "sessions", index)
    b = _Body()
    b.origins[""] = here
    b.put("candidateId", session.candidate_id, (*here, "candidate_id"))
    if session.candidate is not None:
        candidate = camel_dump(session.candidate, "/candidate", (*here, "candidate"), b)
        b.put("candidate", candidate, (*here, "candidate"))
    _put_job(defn, settings, session, here, b)
    if session.schedule_time is not None:
        b.put("scheduleTime", iso_utc(session.schedule_time), (*here, "schedule_time"))
    b.put("metadata", dict(session.metadata) if session.metadata else None, (*here, "metadata"))
    b.put("isTest", session.is_test, (*here, "is_test"))
    return b


def _put_job(
    defn: Definition,
    settings: InstaviewSettings,
    session: InstaviewSession,
    here: YamlPath,
    b: _Body,
) -> None:
    """The session's own job_id wins; else the section's job_id or inline job, unless the
    inline candidate names its job itself (Instaview refuses both together)."""
    if session.job_id is not None:
        b.put("jobId", session.job_id, (*here, "job_id"))
    elif session.candidate is not None and session.candidate.job_id is not None:
        return
    elif settings.job_id is not None:
        b.put("jobId", settings.job_id, (PROVIDER, "job_id"))
    elif settings.job is not None:
        job = camel_dump(settings.job, "/job", (PROVIDER, "job"), b)
        _job_defaults(defn, job, b)
        b.put("job", job, (PROVIDER, "job"))


def _job_defaults(defn: Definition, job: dict[str, Any], b: _Body) -> None:
    if "title" not in job:
        job["title"] = defn.title
        b.origins["/job/title"] = ("title",)
    if "description" not in job and defn.description is not None:
        job["description"] = defn.description
        b.origins["/job/description"] = ("description",)
    if "requiredSkills" not in job and defn.skills:
        job["requiredSkills"] = [skill.name for skill in defn.skills]
        b.origins["/job/requiredSkills"] = ("skills",)


def _session_notes(session: InstaviewSession) -> tuple[str, ...]:
    if session.is_test:
        return ()
    if session.schedule_time is None:
        return ("starts as soon as it is created (no schedule_time) and uses interview minutes",)
    return ("uses Instaview interview minutes",)


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
