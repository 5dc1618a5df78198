"""The reverse of micro1's render: an interview body (`POST /interview` shape, as read
back) → the definition that renders exactly that body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from interform.providers.generating import Spelled, language_of
from interform.providers.micro1.settings import Micro1Settings

# what a definition that leaves a setting out renders (its body names are the same)
SETTINGS: Mapping[str, Any] = {
    name: field.default for name, field in Micro1Settings.model_fields.items()
}


def definition(
    kind: str, body: Mapping[str, Any], target: str, defaults: Mapping[str, Any]
) -> dict[str, Any]:
    top = Spelled(defaults)
    top.data["title"] = body.get("interview_name", "")
    top.put("language", language_of(body.get("interview_language"), "micro1"), "en")
    top.data["targets"] = [target]
    top.put("questions", [_question(q) for q in body.get("custom_question_list") or []], [])
    top.put("skills", [_skill(s) for s in body.get("skills") or []], [])
    section = top.nested("micro1")
    for key, default in SETTINGS.items():
        section.put(key, body.get(key), default)
    top.put_mapping("micro1", section)
    return top.data


def _question(q: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"text": q.get("question", ""), "answer_time": _duration(q.get("time"))}
    if q.get("type", "audio") != "audio":
        out["answer_type"] = q["type"]
    return out


def _duration(minutes: Any) -> str | int:
    """`3m` for whole minutes, else seconds (micro1 times are minutes, definitions seconds)."""
    seconds = round(float(minutes or 0) * 60)
    return f"{seconds // 60}m" if seconds % 60 == 0 else seconds


def _skill(s: Mapping[str, Any]) -> dict[str, Any]:
    out = {"name": s.get("name", "")}
    if s.get("description"):
        out["description"] = s["description"]
    return out
