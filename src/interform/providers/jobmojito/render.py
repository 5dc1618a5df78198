"""JobMojito, pure: a definition as the body of `POST /job-interview-create-from-array`
and the wire bodies of create and update (`readback.py` turns `job-interview-get` back
into this shape).

Every question carries interform's stable id as `external_id`, so read-back maps real
ids back to ours and `job-interview-update` matches questions on it. The ownership
marker is one of the interview's `tags` (`code` is the team's own reference, e.g. an ATS
requisition id); interviews made before version 0.x carry it in `code`, which is still
read (`readback.marker_of`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

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

# the welcome, thank-you and instructional-video steps: "never changed" by
# job-interview-update and never returned by job-interview-get
STEP_FIELDS = (
    "welcome_message",
    "thank_you_message",
    "instructional_video",
    "instructional_video_custom_text",
)
# create-only: job-interview-update has no such field (or, for the steps, never changes
# them), so a change means a new interview
REPLACE_FIELDS = ("mojito_language_code", *STEP_FIELDS, "merchant_id")
# create-only inputs that steer what create generates (the rubric, stored questions):
# sent on create, a later change is recorded but cannot reach the interview
CREATE_ONLY = ("additional_context", "disable_deduplication")
# changed through job-interview-set-state, not job-interview-update
EMBED_FIELD = "is_embedded"
SIGNING_KEY = "embed_signing_key"  # the secret create returns when embedding is on
# optional fields job-interview-update refuses null for (or, for custom_scoring, merges
# over what is stored): once set they cannot be cleared
NOT_CLEARABLE = ("result_view", "interview_attempts", "custom_scoring")
RUBRIC = "candidate_expectations_json"
REGENERATE = "regenerate_candidate_expectations"
MARKER_FIELD = "tags"
PDF = "pdf_export_auto_config"
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
    "mojito_language_code",
    "external_data",
    RUBRIC,
)
PARENT = "conditional_question_main_id"
# the keys of a rendered question besides its JobMojito options, in the order written
QUESTION_KEYS = ("id", "external_id", "question", "duration", "is_conditional", PARENT)


# ---------------------------------------------------------------------- definition → body


def interview_body(defn: Definition) -> dict[str, Any]:
    """The create body minus `code` (the ownership marker, injected at create)."""
    settings: JobMojitoSettings = section(defn, PLATFORM)
    language = platform_language(defn.language)
    body: dict[str, Any] = {
        "name": defn.title,
        "description": defn.description or defn.title,
        "mojito_language_code": language,
        "questions": questions(defn.questions, language),
        **DEFAULTS,
    }
    for name in SETTINGS:
        value = getattr(settings, name)
        if isinstance(value, BaseModel):
            value = value.model_dump(exclude_none=True)
        if name == "interview_tone" and isinstance(value, str):
            value = value.lower()  # JobMojito stores it lower-cased
        if name == PDF and value and "mojito_language_code" in value:
            value["mojito_language_code"] = platform_language(value["mojito_language_code"])
        if value is not None and not (name == MARKER_FIELD and value == []):
            body[name] = value  # no tags and an empty list read back alike: [marker]
    if settings.embed is not None:
        body[EMBED_FIELD] = settings.embed.enabled
    return body


def platform_language(code: str) -> str:
    """JobMojito's code for a language code; an unsupported one is sent as written so the
    request schema names it at plan time (validate names it first)."""
    return languages.to_platform(code, PLATFORM) or code


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


def questions(items: list[Question], language: str) -> list[dict[str, Any]]:
    ids = question_ids(items)
    by_slug = {q.id: ident for q, ident in zip(items, ids, strict=True) if q.id}
    return [_question(q, ident, by_slug, language) for q, ident in zip(items, ids, strict=True)]


def _question(q: Question, ident: str, by_slug: Mapping[str, str], language: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ident, "external_id": ident, "question": q.text}
    if q.answer_time:
        out["duration"] = q.answer_time
    if q.follow_up_to:
        out["is_conditional"] = True
        out[PARENT] = by_slug.get(q.follow_up_to, q.follow_up_to)
    if q.jobmojito is not None:
        for name in QUESTION_OPTIONS:
            value = getattr(q.jobmojito, name)
            out[name] = (
                value.model_dump(exclude_none=True) if isinstance(value, BaseModel) else value
            )
        if q.jobmojito.mojito_language_code is not None:
            code = platform_language(q.jobmojito.mojito_language_code)
            # the interview's own language is what an omitted one means: sent as omitted
            out["mojito_language_code"] = None if code == language else code
    return {k: v for k, v in out.items() if not unset(v)}


def unset(value: Any) -> bool:
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
    out = list(field_notes(defn))
    if defn.skills:
        out.append("skills are not sent: JobMojito has no skills field")
    if not defn.description:
        out.append("no description: the title is sent as JobMojito's required description")
    if any(q.answer_type != "audio" for q in defn.questions):
        out.append("answer types are not sent: JobMojito candidates answer by voice")
    tone = settings.interview_tone
    if tone is not None and tone.lower() not in KNOWN_TONES:
        out.append(f"interview_tone {tone!r} is not one JobMojito knows: it will use relaxed")
    if any(getattr(settings, name) is not None for name in CREATE_ONLY):
        out.append(
            "additional_context and disable_deduplication are used only when the interview "
            "is created (job-interview-update takes neither): a later change is recorded, not "
            "sent; -replace=ADDRESS creates the interview again with them"
        )
    return tuple(out)


def field_notes(defn: Definition) -> dict[str, str]:
    """Notes about one body field, said when that field changes (a setting the definition
    no longer sets, which JobMojito cannot clear; custom_scoring's merge)."""
    settings: JobMojitoSettings = section(defn, PLATFORM)
    out: dict[str, str] = {}
    for name in NOT_CLEARABLE:
        if getattr(settings, name) is None:
            note = (
                f"{name} cannot be cleared in place: JobMojito keeps the value it has "
                "(set it to the value you want instead)"
            )
            out[note] = name
    if settings.custom_scoring is not None:
        note = (
            "custom_scoring is merged over what JobMojito stores: a key removed here keeps "
            "its value there"
        )
        out[note] = "custom_scoring"
    if settings.candidate_expectations_json is None:
        out[
            "candidate_expectations_json is not set: JobMojito generates the rubric again "
            "from the questions (type interview) or clears it"
        ] = RUBRIC
    return out


def sinks(defn: Definition) -> dict[str, str]:
    """Where apply writes the embed signing key when JobMojito returns one."""
    embed = section(defn, PLATFORM).embed
    if embed is None or not embed.enabled or not embed.signing_key_file:
        return {}
    return {SIGNING_KEY: embed.signing_key_file}


# ---------------------------------------------------------------------- wire bodies


def create_wire(body: Mapping[str, Any], marker: str) -> dict[str, Any]:
    return {**body, MARKER_FIELD: with_marker(body, marker)}


def with_marker(body: Mapping[str, Any], marker: str | None) -> list[str]:
    """The tags sent: the definition's, then interform's ownership marker."""
    tags = list(body.get(MARKER_FIELD) or [])
    return [*tags, marker] if marker else tags


def update_wire(
    body: Mapping[str, Any],
    position_id: str,
    changed: list[str] | None = None,
    marker: str | None = None,
) -> dict[str, Any]:
    """`job-interview-update`: the changed fields (all updatable ones when `changed` is
    None). A setting the definition no longer sets is cleared the way the spec documents
    (null, or for the rubric of an interview a regeneration), except where the endpoint
    cannot clear it (those keep the platform's value). Questions go as the complete list;
    tags always end with the marker, so a new `code` never leaves an object unowned."""
    fixed = (*REPLACE_FIELDS, *CREATE_ONLY, EMBED_FIELD)
    names = [n for n in body if n not in fixed]
    wanted = names if changed is None else [n for n in changed if n not in fixed]
    wire: dict[str, Any] = {"position_id": position_id}
    for name in wanted:
        value = body.get(name)
        if value is None and name in NOT_CLEARABLE:
            continue
        wire[name] = value
    if RUBRIC in wire and wire[RUBRIC] is None and body.get("type") == "interview":
        del wire[RUBRIC]  # "generated when absent": made again from the questions
        wire["questions"] = body.get("questions")
    if "questions" in wire and body.get("type") == "interview" and RUBRIC not in body:
        # the rubric JobMojito generated describes the old questions; one the definition
        # sets is left alone
        wire[REGENERATE] = True
    if MARKER_FIELD in wire or "code" in wire:
        wire[MARKER_FIELD] = with_marker(body, marker)
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
