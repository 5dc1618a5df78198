"""JobMojito's question lists: create-time local handles, and the update-time diff.

`job-interview-update` applies the list it is sent as a diff: each entry is matched with
a stored question on `external_id`, then `id`, then identical content. A match with the
same content is kept (same id); a match whose content differs is replaced (old one
unlinked, new id, omitted fields carried over); no match is added; stored questions
nothing matched are removed. `conditional_question_main_id` names an EARLIER entry by
its `id` — a stored real id or, for new questions, a caller-local handle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from interform.sandbox.emulator import drop_none, new_id
from interform.sandbox.store import Obj

FIELDS = (
    "question",
    "duration",
    "mojito_language_code",
    "label",
    "is_conditional",
    "is_without_scoring",
    "is_candidate_asking_recruiter",
    "is_expert",
    "is_multiple_choice",
    "question_alternatives",
    "conditional_question_main_id",
    "knowledge_base_id",
    "external_id",
    "external_data",
    "candidate_expectations_json",
)
PARENT = "conditional_question_main_id"


class QuestionError(ValueError):
    """A question list the platform refuses (422, field `questions`)."""


@dataclass
class Diff:
    questions: list[Obj] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    replaced: list[dict[str, str]] = field(default_factory=list)

    def changed(self, before: list[Obj]) -> bool:
        ids = [q["id"] for q in self.questions]
        return ids != [q["id"] for q in before] or bool(self.added or self.removed)


def content(q: Obj) -> Obj:
    return drop_none({f: q.get(f) for f in FIELDS})


def stored_question(fields: Obj, qid: str) -> Obj:
    return {"id": qid, **{f: fields.get(f) for f in FIELDS}}


def _parent(entry: Obj, handles: dict[str, str], index: int) -> str | None:
    ref = entry.get(PARENT)
    if ref is None:
        return None
    if ref not in handles:
        raise QuestionError(
            f"questions[{index}].{PARENT} {ref!r} does not name the id of an earlier question"
        )
    return handles[ref]


def _remember(handles: dict[str, str], handle: Any, qid: str, index: int) -> None:
    if handle is None:
        return
    if handle in handles:
        raise QuestionError(f"questions[{index}].id {handle!r} is used twice")
    handles[handle] = qid


def create(entries: list[Obj]) -> list[Obj]:
    """Questions of a new interview: real ids, parents resolved from local handles."""
    handles: dict[str, str] = {}
    out = []
    for i, entry in enumerate(entries):
        fields = {f: entry.get(f) for f in FIELDS}
        fields[PARENT] = _parent(entry, handles, i)
        qid = new_id()
        _remember(handles, entry.get("id"), qid, i)
        out.append(stored_question(fields, qid))
    return out


def apply(stored: list[Obj], entries: list[Obj]) -> Diff:
    """The diff of `entries` against `stored`, as job-interview-update decides it."""
    by_ext = {q["external_id"]: q for q in stored if q.get("external_id")}
    by_id = {q["id"]: q for q in stored}
    used: set[str] = set()
    handles: dict[str, str] = {}
    diff = Diff()
    for i, entry in enumerate(entries):
        fields = {f: entry[f] for f in FIELDS if f in entry}
        if PARENT in entry:
            fields[PARENT] = _parent(entry, handles, i)
        match = _match(entry, fields, stored, by_ext, by_id, used)
        if match is None:
            question = stored_question(fields, new_id())
            diff.added.append(question["id"])
        else:
            used.add(match["id"])
            question = {**match, **fields}
            if content(question) == content(match):
                diff.kept.append(match["id"])
            else:
                question["id"] = new_id()
                diff.replaced.append({"from": match["id"], "to": question["id"]})
            handles.setdefault(match["id"], question["id"])
        if entry.get("id") != (match or {}).get("id"):
            _remember(handles, entry.get("id"), question["id"], i)
        diff.questions.append(question)
    diff.removed = [q["id"] for q in stored if q["id"] not in used]
    return diff


def _match(
    entry: Obj,
    fields: Obj,
    stored: list[Obj],
    by_ext: dict[str, Obj],
    by_id: dict[str, Obj],
    used: set[str],
) -> Obj | None:
    candidates = [by_ext.get(entry.get("external_id") or ""), by_id.get(entry.get("id") or "")]
    for found in candidates:
        if found is not None and found["id"] not in used:
            return found
    wanted = content(fields)
    return next((q for q in stored if q["id"] not in used and content(q) == wanted), None)
