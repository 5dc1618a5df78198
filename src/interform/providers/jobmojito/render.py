"""JobMojito, pure: a definition as the body of `POST /job-interview-create-from-array`,
the wire bodies of create and update, and `job-interview-get` normalised back.

JobMojito reads differ from writes: the location comes back as `interview_location`,
the long description as `interview_description_long`, attempts as
`result_scoring.max_retries`, style settings under `creation_parameters`, and questions
with their real ids (`conditional_question_main_id` holding the parent's real id).
Every question carries interform's stable id as `external_id`, so read-back maps real
ids back to ours and `job-interview-update` matches questions on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from interform.model import languages
from interform.model.definition import Definition, Question, section
from interform.providers.base import YamlPath
from interform.providers.jobmojito.settings import JobMojitoSettings

PLATFORM = "jobmojito"

# documented defaults, filled in so a read-back compares equal to the body
DEFAULTS: Mapping[str, Any] = {
    "interview_tone": "relaxed",
    "required_pronunciation": False,
    "result_enable_edit_transcript": True,
}
KNOWN_TONES = ("relaxed", "simple", "professional", "persuasive")

# create-only: job-interview-update has no such field (or, for the steps, never changes
# them), so a change means a new interview
REPLACE_FIELDS = (
    "mojito_language_code",
    "welcome_message",
    "thank_you_message",
    "instructional_video",
    "instructional_video_custom_text",
)
# changed through job-interview-set-state, not job-interview-update
EMBED_FIELD = "is_embedded"
SIGNING_KEY = "embed_signing_key"  # the secret create returns when embedding is on
# never returned by job-interview-get: carried over from the request last applied
WRITE_ONLY = (*REPLACE_FIELDS[1:], EMBED_FIELD)
# optional fields job-interview-update refuses null for: once set they cannot be cleared
NOT_CLEARABLE = ("result_view", "interview_attempts")
# stored under another name (request name -> job-interview-get name)
RENAMED: Mapping[str, str] = {
    "location": "interview_location",
    "description_long": "interview_description_long",
}
CREATION_PARAMETERS = ("interview_type", "interview_tone", "seniority_level", "hiring_for_company")
ATTEMPTS = "interview_attempts"
# definition settings that are not request fields
_NOT_SENT = ("embed", "removal")
SETTINGS = tuple(name for name in JobMojitoSettings.model_fields if name not in _NOT_SENT)
QUESTION_OPTIONS = (
    "label",
    "is_without_scoring",
    "is_candidate_asking_recruiter",
    "is_expert",
    "is_multiple_choice",
    "question_alternatives",
    "knowledge_base_id",
)
PARENT = "conditional_question_main_id"
# the keys of a rendered question besides its JobMojito options, in the order written
QUESTION_KEYS = ("id", "external_id", "question", "duration", "is_conditional", PARENT)


# ---------------------------------------------------------------------- definition → body


def interview_body(defn: Definition) -> dict[str, Any]:
    """The create body minus `code` (the ownership marker, injected at create)."""
    settings: JobMojitoSettings = section(defn, PLATFORM)
    body: dict[str, Any] = {
        "name": defn.title,
        "description": defn.description or defn.title,
        # an unsupported code is sent as written so the schema names it at plan time
        "mojito_language_code": languages.to_platform(defn.language, PLATFORM) or defn.language,
        "questions": questions(defn.questions),
        **DEFAULTS,
    }
    for name in SETTINGS:
        value = getattr(settings, name)
        if name == "hiring_for_company" and value is not None:
            value = value.model_dump(exclude_none=True)
        if name == "interview_tone" and isinstance(value, str):
            value = value.lower()  # JobMojito stores it lower-cased
        if value is not None:
            body[name] = value
    if settings.embed is not None:
        body[EMBED_FIELD] = settings.embed.enabled
    return body


def question_ids(items: list[Question]) -> list[str]:
    """interform's stable id of each question: its `id`, else a short hash of its text;
    a repeat gets a numbered suffix so ids stay unique."""
    seen: set[str] = set()
    out = []
    for q in items:
        base = q.id or "q-" + hashlib.sha256(q.text.encode()).hexdigest()[:10]
        ident, n = base, 1
        while ident in seen:
            n += 1
            ident = f"{base}-{n}"
        seen.add(ident)
        out.append(ident)
    return out


def questions(items: list[Question]) -> list[dict[str, Any]]:
    ids = question_ids(items)
    by_slug = {q.id: ident for q, ident in zip(items, ids, strict=True) if q.id}
    return [_question(q, ident, by_slug) for q, ident in zip(items, ids, strict=True)]


def _question(q: Question, ident: str, by_slug: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ident, "external_id": ident, "question": q.text}
    if q.answer_time:
        out["duration"] = q.answer_time
    if q.follow_up_to:
        out["is_conditional"] = True
        out[PARENT] = by_slug.get(q.follow_up_to, q.follow_up_to)
    if q.jobmojito is not None:
        for name in QUESTION_OPTIONS:
            out[name] = getattr(q.jobmojito, name)
    return {k: v for k, v in out.items() if not _unset(v)}


def _unset(value: Any) -> bool:
    """None, false and [] all mean "not this kind of question": JobMojito may return any
    of them for an option never set, so none of them is sent or compared."""
    return value is None or value is False or value == []


def origins(defn: Definition) -> dict[str, YamlPath]:
    """Body pointer → YAML path, for plan-time schema problems."""
    out: dict[str, YamlPath] = {
        "/name": ("title",),
        "/description": ("description",) if defn.description else ("title",),
        "/mojito_language_code": ("language",),
        "/questions": ("questions",),
    }
    for i, q in enumerate(defn.questions):
        here: YamlPath = ("questions", i)
        out[f"/questions/{i}"] = here
        out[f"/questions/{i}/question"] = (*here, "text")
        out[f"/questions/{i}/duration"] = (*here, "answer_time")
        out[f"/questions/{i}/is_conditional"] = (*here, "follow_up_to")
        out[f"/questions/{i}/{PARENT}"] = (*here, "follow_up_to")
        if q.id:
            out[f"/questions/{i}/id"] = (*here, "id")
            out[f"/questions/{i}/external_id"] = (*here, "id")
        for name in QUESTION_OPTIONS:
            out[f"/questions/{i}/{name}"] = (*here, "jobmojito", name)
    for name in SETTINGS:
        out[f"/{name}"] = (PLATFORM, name)
    out[f"/{EMBED_FIELD}"] = (PLATFORM, "embed")
    # not a body field: where the signing key sink comes from (plan reports it there)
    out[f"/{SIGNING_KEY}"] = (PLATFORM, "embed", "signing_key_file")
    return out


def notes(defn: Definition) -> tuple[str, ...]:
    settings: JobMojitoSettings = section(defn, PLATFORM)
    out: list[str] = []
    if defn.skills:
        out.append("skills are not sent: JobMojito has no skills field")
    if not defn.description:
        out.append("no description: the title is sent as JobMojito's required description")
    if any(q.answer_type != "audio" for q in defn.questions):
        out.append("answer types are not sent: JobMojito candidates answer by voice")
    tone = settings.interview_tone
    if tone is not None and tone.lower() not in KNOWN_TONES:
        out.append(f"interview_tone {tone!r} is not one JobMojito knows: it will use relaxed")
    return tuple(out)


def sinks(defn: Definition) -> dict[str, str]:
    """Where apply writes the embed signing key when JobMojito returns one."""
    embed = section(defn, PLATFORM).embed
    if embed is None or not embed.enabled or not embed.signing_key_file:
        return {}
    return {SIGNING_KEY: embed.signing_key_file}


# ---------------------------------------------------------------------- wire bodies


def create_wire(body: Mapping[str, Any], marker: str) -> dict[str, Any]:
    return {**body, "code": marker}


def update_wire(
    body: Mapping[str, Any], position_id: str, changed: list[str] | None = None
) -> dict[str, Any]:
    """`job-interview-update`: the changed fields (all updatable ones when `changed` is
    None), null for one the definition no longer sets — except where the endpoint takes
    no null (those keep the platform's value). Questions go as the complete list."""
    names = [n for n in body if n not in (*REPLACE_FIELDS, EMBED_FIELD)]
    wanted = names if changed is None else [n for n in changed if n not in REPLACE_FIELDS]
    wire: dict[str, Any] = {"position_id": position_id}
    for name in wanted:
        if name == EMBED_FIELD:
            continue
        value = body.get(name)
        if value is None and name in NOT_CLEARABLE:
            continue
        wire[name] = value
    return wire


def parent_problems(body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(pointer, message) for question references the schema cannot express: a
    follow-up's parent must be an earlier question of the same array; ids are unique."""
    seen: set[str] = set()
    found = []
    for i, q in enumerate(body.get("questions") or []):
        parent = q.get(PARENT)
        if parent is not None and parent not in seen:
            message = f"must name an earlier question — got {parent!r}"
            found.append((f"/questions/{i}/{PARENT}", message))
        ident = q.get("id")
        if ident is not None and ident in seen:
            found.append((f"/questions/{i}/id", f"is used twice — got {ident!r}"))
        if ident is not None:
            seen.add(ident)
    return found


# ---------------------------------------------------------------------- read-back → body


def normalise(got: Mapping[str, Any], prior: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A `job-interview-get` answer in the shape of `interview_body` (`code` excluded).

    Values JobMojito never returns (welcome/thank-you steps, instructional video, embed
    state) are carried over from `prior`, the body last applied. A field that cannot be
    cleared is compared only when `prior` sent it, so removing it from the definition
    does not show as drift forever; without `prior` (import) everything is kept."""
    body: dict[str, Any] = {}
    for name in ("name", "description", "mojito_language_code", *SETTINGS):
        value = _read_value(got, name)
        if value is not None:
            body[name] = value
    body["questions"] = read_questions(got.get("questions") or [])
    if prior is not None:
        for name in WRITE_ONLY:
            if name in prior:
                body[name] = prior[name]
        for name in NOT_CLEARABLE:
            if name not in prior:
                body.pop(name, None)
    return body


def _read_value(got: Mapping[str, Any], name: str) -> Any:
    if name in RENAMED:
        return got.get(RENAMED[name])
    if name in CREATION_PARAMETERS:
        params = got.get("creation_parameters")
        return params.get(name) if isinstance(params, Mapping) else None
    if name == ATTEMPTS:
        scoring = got.get("result_scoring")
        return scoring.get("max_retries") if isinstance(scoring, Mapping) else None
    return got.get(name)


def read_questions(items: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored questions with interform's ids: `external_id` where there is one (the
    real id otherwise, e.g. a question added in the dashboard), None values dropped."""
    ours = {str(q.get("id")): str(q.get("external_id") or q.get("id")) for q in items}
    out = []
    for q in items:
        item = {k: q.get(k) for k in (*QUESTION_KEYS, *QUESTION_OPTIONS)}
        item["id"] = ours[str(q.get("id"))]
        if item[PARENT] is not None:
            item[PARENT] = ours.get(str(item[PARENT]), item[PARENT])
        out.append({k: v for k, v in item.items() if not _unset(v)})
    return out
