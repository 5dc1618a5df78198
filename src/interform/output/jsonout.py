"""`plan --json`: a documented, versioned structure for machines (CI gates, bots).

format_version "1". Additive changes keep the version; anything that removes, renames
or retypes a key bumps it. `plan_json_schema()` describes it exactly and is published
as `schemas/plan.schema.json`.
"""

from __future__ import annotations

import json
from typing import Any

from interform.output import Output
from interform.output.common import COUNTED, counts
from interform.plan.model import Change, FieldDiff, Plan, QuestionChange

FORMAT_VERSION = "1"


def plan_document(plan: Plan) -> dict[str, Any]:
    summary: dict[str, Any] = {**counts(plan.changes), "unchanged": plan.unchanged}
    summary["has_changes"] = plan.has_changes
    return {
        "format_version": FORMAT_VERSION,
        "interform_version": plan.interform_version,
        "sandbox": plan.sandbox,
        "refreshed": plan.refreshed,
        "summary": summary,
        "changes": [change_document(c) for c in plan.changes],
        "warnings": list(plan.warnings),
        "refused": list(plan.refused),
        "ignored": [
            {"address": address, "fields": [field_document(d) for d in diffs]}
            for address, diffs in plan.ignored.items()
        ],
        "renames": [
            {"new": r.new, "old": r.old, "source": r.source, "line": r.line} for r in plan.renames
        ],
        "lockfile": {"lineage": plan.lineage},
    }


def render_json(plan: Plan) -> str:
    return json.dumps(plan_document(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def change_document(change: Change) -> dict[str, Any]:
    return {
        "address": change.address,
        "action": change.action.value,
        "provider": change.provider,
        "target": change.target,
        "kind": change.kind,
        "interview": change.interview,
        "reason": change.reason,
        "fields": [field_document(f) for f in change.fields],
        "questions_field": change.questions_field,
        "questions": [question_document(q) for q in change.questions],
        "moved_from": change.moved_from,
        "depends_on": list(change.depends_on),
        "notes": list(change.notes),
        "import_command": change.import_command,
        "remote_id": change.prior.remote_id if change.prior else None,
    }


def field_document(diff: FieldDiff) -> dict[str, Any]:
    return {
        "name": diff.name,
        "before": diff.before,
        "after": diff.after,
        "forces_replacement": diff.forces_replacement,
        "drift": diff.drift,
    }


def question_document(q: QuestionChange) -> dict[str, Any]:
    return {
        "kind": q.kind,
        "id": q.id,
        "before": q.before,
        "after": q.after,
        "before_index": q.before_index,
        "after_index": q.after_index,
        "moved": q.moved,
        "words": [{"op": op, "text": text} for op, text in q.words],
        "fields": [field_document(f) for f in q.fields],
    }


# --------------------------------------------------------------------------- schema

_STRING_OR_NULL = {"type": ["string", "null"]}
_INDEX = {"type": ["integer", "null"], "minimum": 0}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(properties),
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


def plan_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of `interform plan --json` output."""
    field = _object(
        {
            "name": {"type": "string"},
            "before": {"description": "Value before; null for a new object or a new field."},
            "after": {"description": "Value after; null when the field goes away."},
            "forces_replacement": {"type": "boolean"},
            "drift": {"type": "boolean", "description": "Changed outside interform."},
        },
        "One request-body field that differs.",
    )
    question = _object(
        {
            "kind": {"enum": ["added", "removed", "moved", "edited"]},
            "id": _STRING_OR_NULL,
            "before": _STRING_OR_NULL,
            "after": _STRING_OR_NULL,
            "before_index": _INDEX,
            "after_index": _INDEX,
            "moved": {"type": "boolean", "description": "An edited question that also moved."},
            "words": {
                "type": "array",
                "items": _object({"op": {"enum": ["=", "-", "+"]}, "text": {"type": "string"}}),
            },
            "fields": {"type": "array", "items": {"$ref": "#/$defs/field"}},
        },
        "One question-level change (indexes are 0-based positions in the list).",
    )
    actions = ["create", "update", "replace", "delete", "archive", "forget", "move", "adopt"]
    change = _object(
        {
            "address": {"type": "string"},
            "action": {"enum": [*actions, "blocked"]},
            "provider": {"type": "string"},
            "target": {"type": "string"},
            "kind": {"type": "string"},
            "interview": {"type": "string"},
            "reason": {"type": "string", "description": "Display-only: why this action."},
            "fields": {"type": "array", "items": {"$ref": "#/$defs/field"}},
            "questions_field": _STRING_OR_NULL,
            "questions": {"type": "array", "items": {"$ref": "#/$defs/question"}},
            "moved_from": _STRING_OR_NULL,
            "depends_on": {"type": "array", "items": {"type": "string"}},
            "notes": {"type": "array", "items": {"type": "string"}},
            "import_command": _STRING_OR_NULL,
            "remote_id": {**_STRING_OR_NULL, "description": "The object acted on, if any."},
        }
    )
    count = {"type": "integer", "minimum": 0}
    summary = _object(
        {
            **{key: count for key, _ in COUNTED},
            "unchanged": count,
            "has_changes": {"type": "boolean"},
        }
    )
    document = _object(
        {
            "format_version": {"const": FORMAT_VERSION},
            "interform_version": {"type": "string"},
            "sandbox": {"type": "boolean"},
            "refreshed": {"type": "boolean"},
            "summary": summary,
            "changes": {"type": "array", "items": {"$ref": "#/$defs/change"}},
            "warnings": {"type": "array", "items": {"type": "string"}},
            "refused": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Why the plan may not be applied (file:line:col: what — fix); "
                "empty when it may.",
            },
            "ignored": {
                "type": "array",
                "description": "Differences `ignore_changes` leaves as they are: `before` is "
                "the object now, `after` its definition; `name` is a dotted path.",
                "items": _object(
                    {
                        "address": {"type": "string"},
                        "fields": {"type": "array", "items": {"$ref": "#/$defs/field"}},
                    }
                ),
            },
            "renames": {
                "type": "array",
                "items": _object(
                    {
                        "new": {"type": "string"},
                        "old": {"type": "string"},
                        "source": {"type": "string"},
                        "line": {"type": "string", "description": "Add it to `source`."},
                    },
                    "A definition whose objects would be removed and created again with the "
                    "same content: likely renamed without `moved_from:`.",
                ),
            },
            "lockfile": _object({"lineage": _STRING_OR_NULL}),
        },
        "Output of `interform plan --json` and `interform show --json`.",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://interform.dev/schemas/plan.schema.json",
        "title": "interform plan",
        **document,
        "$defs": {"field": field, "question": question, "change": change},
    }


def as_json(plan: Plan, out: Output) -> str:
    """`FORMATS["json"]`."""
    return render_json(plan)
