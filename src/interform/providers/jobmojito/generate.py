"""The reverse of JobMojito's render: an interview body (`job-interview-get`, normalised)
→ the definition that renders exactly that body.

Question ids: a question keeps interform's id (`external_id`) as its `id`, unless it is
the one interform would derive from the text anyway; a follow-up's parent always gets
an explicit id, since `follow_up_to` can only name one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from interform.model.definition import Question
from interform.providers.generating import Spelled, language_of
from interform.providers.jobmojito import render
from interform.providers.jobmojito.settings import JobMojitoSettings

# what a definition that leaves a setting out renders: the model's default, or the
# documented default render fills in
SETTINGS: Mapping[str, Any] = {
    name: render.DEFAULTS.get(name, JobMojitoSettings.model_fields[name].default)
    for name in render.SETTINGS
}
OPTIONS = render.QUESTION_OPTIONS
PARENT = render.PARENT


def definition(
    kind: str, body: Mapping[str, Any], target: str, defaults: Mapping[str, Any]
) -> dict[str, Any]:
    top = Spelled(defaults)
    top.data["title"] = body.get("name", "")
    top.data["description"] = body.get("description")  # JobMojito requires one
    top.put("language", language_of(body.get("mojito_language_code"), "jobmojito"), "en")
    top.data["targets"] = [target]
    top.put("questions", _questions(body.get("questions") or []), [])
    section = top.nested("jobmojito")
    for key, default in SETTINGS.items():
        section.put(key, _languages_spelled(body.get(key)), default)
    if "is_embedded" in body:
        section.data["embed"] = {"enabled": body["is_embedded"]}
    top.put_mapping("jobmojito", section)
    return top.data


def _questions(items: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    parents = {q.get(PARENT) for q in items if q.get(PARENT)}
    return [_question(q, parents) for q in items]


def _question(q: Mapping[str, Any], parents: set[Any]) -> dict[str, Any]:
    text = str(q.get("question", ""))
    out: dict[str, Any] = {}
    ident = q.get("external_id") or q.get("id")
    if ident and (ident in parents or ident != _derived(text)):
        out["id"] = ident
    out["text"] = text
    if q.get("duration"):
        out["answer_time"] = _duration(q["duration"])
    if q.get(PARENT):
        out["follow_up_to"] = q[PARENT]
    options = {name: q[name] for name in OPTIONS if q.get(name) not in (None, False, [])}
    options = _languages_spelled(options)
    if options:
        out["jobmojito"] = options
    return out


def _languages_spelled(value: Any) -> Any:
    """A mapping's JobMojito language code (a question's, the PDF report's) as the
    definition spells languages (`br` is pt-BR)."""
    if not isinstance(value, Mapping) or not value.get("mojito_language_code"):
        return value
    code = value["mojito_language_code"]
    return {**value, "mojito_language_code": language_of(code, "jobmojito") or code}


def _derived(text: str) -> str:
    """The id interform gives a lone question without one."""
    return render.question_ids([Question(text=text)])[0]


def _duration(seconds: Any) -> str | int:
    value = int(seconds)
    return f"{value // 60}m" if value % 60 == 0 else value
