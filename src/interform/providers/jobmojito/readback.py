"""JobMojito, pure: a `job-interview-get` answer in the shape `render.interview_body`
makes, so a plan compares like with like.

Reads differ from writes: the location comes back as `interview_location`, the long
description as `interview_description_long`, attempts and custom scoring merged into
`result_scoring`, style settings and `additional_context` under `creation_parameters`,
and questions with their real ids (`conditional_question_main_id` holding the parent's
real id). Some values are never returned, some are filled in by JobMojito when the
definition leaves them out; `normalise` says which are compared when.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from interform.providers.base import parse_marker
from interform.providers.jobmojito.render import (
    EMBED_FIELD,
    MARKER_FIELD,
    NOT_CLEARABLE,
    PARENT,
    QUESTION_KEYS,
    QUESTION_OPTIONS,
    RUBRIC,
    SETTINGS,
    STEP_FIELDS,
    unset,
)

# stored under another name (request name -> job-interview-get name)
RENAMED: Mapping[str, str] = {
    "location": "interview_location",
    "description_long": "interview_description_long",
}
CREATION_PARAMETERS = (
    "interview_type",
    "interview_tone",
    "seniority_level",
    "hiring_for_company",
    "additional_context",
)
ATTEMPTS = "interview_attempts"
SCORING = "custom_scoring"
RETRIES = "max_retries"  # interview_attempts' place in result_scoring
# never returned by job-interview-get: carried over from the request last applied
WRITE_ONLY = (*STEP_FIELDS, EMBED_FIELD, "disable_deduplication")
# returned whether or not the definition set them (the owning merchant, a rubric
# JobMojito generated): compared only when the request last applied sent them
COMPARED_WHEN_SENT = (*NOT_CLEARABLE, "merchant_id", RUBRIC)


def marker_of(got: Mapping[str, Any]) -> str | None:
    """interform's ownership marker: one of the tags, or (interviews made by versions
    that kept it there) the whole `code`."""
    code = got.get("code")
    if parse_marker(code) is not None:
        return str(code)
    tags = got.get(MARKER_FIELD)
    found = [t for t in tags if parse_marker(t) is not None] if isinstance(tags, list) else []
    return str(found[0]) if found else None


def normalise(got: Mapping[str, Any], prior: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A `job-interview-get` answer in the shape of `interview_body` (no marker).

    Values JobMojito never returns (welcome/thank-you steps, instructional video, embed
    state, disable_deduplication) are carried over from `prior`, the body last applied
    (or, on import, the definition's). What JobMojito returns whether or not it was set
    is compared only when `prior` sent it, so leaving it out of the definition does not
    show as drift forever; without `prior` (import) everything is kept."""
    body: dict[str, Any] = {}
    for name in ("name", "description", "mojito_language_code", *SETTINGS):
        value = _read_value(got, name)
        if value is not None:
            body[name] = value
    body["questions"] = read_questions(got.get("questions") or [], got.get("mojito_language_code"))
    if prior is None:
        return body
    for name in WRITE_ONLY:
        if name in prior:
            body[name] = prior[name]
    for name in COMPARED_WHEN_SENT:
        if name not in prior:
            body.pop(name, None)
    sent = prior.get(SCORING)
    if isinstance(sent, Mapping) and isinstance(body.get(SCORING), Mapping):
        # merged over JobMojito's own settings: only the keys the definition set are ours
        body[SCORING] = {k: v for k, v in body[SCORING].items() if k in sent}
    return body


def _read_value(got: Mapping[str, Any], name: str) -> Any:
    if name in RENAMED:
        return got.get(RENAMED[name])
    if name in CREATION_PARAMETERS:
        params = got.get("creation_parameters")
        return params.get(name) if isinstance(params, Mapping) else None
    if name in (ATTEMPTS, SCORING):
        scoring = got.get("result_scoring")
        if not isinstance(scoring, Mapping):
            return None
        if name == ATTEMPTS:
            return scoring.get(RETRIES)
        return {k: v for k, v in scoring.items() if k != RETRIES} or None
    if name == MARKER_FIELD:
        tags = got.get(name)
        ours = [t for t in tags if parse_marker(t) is None] if isinstance(tags, list) else []
        return ours or None
    if name == "code" and parse_marker(got.get(name)) is not None:
        return None  # the marker of an interview an older version made
    return got.get(name)


def read_questions(items: list[Mapping[str, Any]], language: Any = None) -> list[dict[str, Any]]:
    """Stored questions with interform's ids: `external_id` where there is one (the
    real id otherwise, e.g. a question added in the dashboard), None values dropped, and
    a question language equal to the interview's left out (it is what omitting means)."""
    ours = {str(q.get("id")): str(q.get("external_id") or q.get("id")) for q in items}
    out = []
    for q in items:
        item = {k: q.get(k) for k in (*QUESTION_KEYS, *QUESTION_OPTIONS)}
        item["id"] = ours[str(q.get("id"))]
        if item[PARENT] is not None:
            item[PARENT] = ours.get(str(item[PARENT]), item[PARENT])
        if language is not None and item["mojito_language_code"] == language:
            item["mojito_language_code"] = None
        out.append({k: v for k, v in item.items() if not unset(v)})
    return out
