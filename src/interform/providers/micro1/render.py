"""micro1, pure: a definition as the body of `POST /interview`, and a listed interview
(`GET /interviews` item) normalised back into that shape.

micro1 reads differ from writes: questions come back as `custom_questions` with `time` in
seconds (written in minutes), and languages as English display names ("Korean", "C++")
where writes take codes ("kr", "cpp").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from interform.model import languages
from interform.model.definition import Definition, Question, section
from interform.providers.base import YamlPath
from interform.providers.micro1.settings import Micro1Settings

PLATFORM = "micro1"

# interform's choice when a question has no answer_time: micro1 documents no default,
# and an explicit value keeps PUT a true replace and read-back free of surprises
DEFAULT_ANSWER_MINUTES = 2

CODING_DISPLAY: Mapping[str, str] = {
    "user_choice": "User Choice",
    "javascript": "JavaScript",
    "cpp": "C++",
    "c": "C",
    "csharp": "C#",
    "go": "Go",
    "java": "Java",
    "kotlin": "Kotlin",
    "php": "PHP",
    "python": "Python",
    "ruby": "Ruby",
    "rust": "Rust",
    "swift": "Swift",
    "typescript": "TypeScript",
}
_CODING_CODE = {
    **{code: code for code in CODING_DISPLAY},
    **{display.lower(): code for code, display in CODING_DISPLAY.items()},
}

SETTINGS = tuple(Micro1Settings.model_fields)
BOOLEAN_SETTINGS = tuple(
    name for name, info in Micro1Settings.model_fields.items() if info.annotation is bool
)


# ---------------------------------------------------------------------- definition → body


def interview_body(defn: Definition) -> dict[str, Any]:
    """The complete create body: every documented field, documented defaults filled in."""
    settings: Micro1Settings = section(defn, PLATFORM)
    body: dict[str, Any] = {
        "interview_name": defn.title,
        "skills": [_skill(s.name, s.description) for s in defn.skills],
        "custom_question_list": [_question(q) for q in defn.questions],
        # an unsupported code is sent as written so the schema names it at plan time
        "interview_language": languages.to_platform(defn.language, PLATFORM) or defn.language,
    }
    for name in SETTINGS:
        value = getattr(settings, name)
        if value is not None and value != "":
            body[name] = value
    return body


def _skill(name: str, description: str | None) -> dict[str, Any]:
    return {"name": name, "description": description} if description else {"name": name}


def _question(q: Question) -> dict[str, Any]:
    minutes = _minutes(q.answer_time) if q.answer_time else DEFAULT_ANSWER_MINUTES
    return {"question": q.text, "time": minutes, "type": q.answer_type}


def _minutes(seconds: float) -> int | float:
    value = round(seconds / 60, 4)
    return int(value) if value.is_integer() else value


def origins(defn: Definition) -> dict[str, YamlPath]:
    """Body pointer → YAML path, for plan-time schema problems."""
    out: dict[str, YamlPath] = {
        "/interview_name": ("title",),
        "/interview_language": ("language",),
        "/skills": ("skills",),
        "/custom_question_list": ("questions",),
    }
    for i, skill in enumerate(defn.skills):
        out[f"/skills/{i}"] = ("skills", i)
        out[f"/skills/{i}/name"] = ("skills", i, "name")
        if skill.description:
            out[f"/skills/{i}/description"] = ("skills", i, "description")
    for i, q in enumerate(defn.questions):
        out[f"/custom_question_list/{i}"] = ("questions", i)
        out[f"/custom_question_list/{i}/question"] = ("questions", i, "text")
        if q.answer_time:
            out[f"/custom_question_list/{i}/time"] = ("questions", i, "answer_time")
    if defn.micro1 is not None:
        for name in defn.micro1.model_fields_set:
            out[f"/{name}"] = (PLATFORM, name)
    return out


def notes(defn: Definition) -> tuple[str, ...]:
    out: list[str] = []
    if defn.description:
        out.append("description is not sent: micro1 interviews have no description field")
    untimed = _untimed_note(defn)
    return (*out, untimed) if untimed else tuple(out)


def note_fields(defn: Definition) -> dict[str, str]:
    """The notes about one body field (said again only when it changes)."""
    untimed = _untimed_note(defn)
    return {untimed: "custom_question_list"} if untimed else {}


def _untimed_note(defn: Definition) -> str | None:
    untimed = sum(1 for q in defn.questions if not q.answer_time)
    if not untimed:
        return None
    return (
        f"{untimed} question(s) without answer_time are sent with {DEFAULT_ANSWER_MINUTES} minutes"
    )


def update_wire(body: Mapping[str, Any]) -> dict[str, Any]:
    """PUT body: the create body, plus an explicit empty coding_exercise_details so that
    removing it from the definition clears it (micro1 does not say PUT drops omissions)."""
    return {**body, "coding_exercise_details": body.get("coding_exercise_details", "")}


# ---------------------------------------------------------------------- listed item → body


def normalise(item: Mapping[str, Any], prior: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A `GET /interviews` item in the shape of `interview_body`.

    A field the listing leaves out (the published list schema has no
    coding_exercise_details) cannot be compared; it is carried over from `prior`, the
    body last applied, rather than shown as a change."""
    prior = prior or {}
    body: dict[str, Any] = {"interview_name": item.get("interview_name")}
    body["skills"] = [
        _skill(s.get("name", ""), s.get("description")) for s in item.get("skills") or []
    ]
    questions = item.get("custom_questions", item.get("custom_question_list")) or []
    body["custom_question_list"] = [_read_question(q) for q in questions]
    if item.get("interview_language") is not None:
        body["interview_language"] = language_code(str(item["interview_language"]))
    for name in BOOLEAN_SETTINGS:
        if item.get(name) is not None:
            body[name] = bool(item[name])
    if item.get("selected_coding_language") is not None:
        body["selected_coding_language"] = coding_code(str(item["selected_coding_language"]))
    if item.get("coding_exercise_details"):
        body["coding_exercise_details"] = item["coding_exercise_details"]
    for name, value in prior.items():
        if name not in body and name not in item:
            body[name] = value
    return body


def _read_question(q: Mapping[str, Any]) -> dict[str, Any]:
    seconds = q.get("time")
    minutes = _minutes(float(seconds)) if seconds else DEFAULT_ANSWER_MINUTES
    return {"question": q.get("question", ""), "time": minutes, "type": q.get("type") or "audio"}


def language_code(value: str) -> str:
    """micro1's write code for a language it reported as a display name or a code."""
    user_code = languages.from_platform(value, PLATFORM)
    if user_code is None:
        return value
    return languages.to_platform(user_code, PLATFORM) or value


def coding_code(value: str) -> str:
    return _CODING_CODE.get(value.lower(), value)


def same_content(item: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
    """Does a listed interview hold exactly this body, as far as the listing shows?
    A field the item does not carry at all is not evidence either way."""
    listed = normalise(item)
    for name in set(listed) | set(body):
        if name in listed and name in body:
            if listed[name] != body[name]:
                return False
        elif name in listed or name in item:
            return False  # one side has a value, the other has none
    return True
