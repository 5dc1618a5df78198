"""Plans as JSON-safe data and back, losslessly (saved plans carry what apply needs)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import Enum
from typing import Any

from interform.lockfile.model import Entry
from interform.model.identity import Identity
from interform.plan.model import Action, Change, FieldDiff, Plan, QuestionChange
from interform.providers.base import desired_from_data, desired_to_wire


def plain(value: Any) -> Any:
    """JSON-safe copy: dataclasses and mappings to dicts, tuples to lists, enums to values."""
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def plan_to_data(plan: Plan) -> dict[str, Any]:
    return {
        "changes": [change_to_data(c) for c in plan.changes],
        "unchanged": plan.unchanged,
        "refreshed": plan.refreshed,
        "sandbox": plan.sandbox,
        "warnings": list(plan.warnings),
        "ignored": {a: [plain(d) for d in diffs] for a, diffs in plan.ignored.items()},
    }


def plan_from_data(data: Mapping[str, Any], **inputs: Any) -> Plan:
    return Plan(
        changes=[change_from_data(c) for c in data["changes"]],
        unchanged=int(data["unchanged"]),
        refreshed=bool(data["refreshed"]),
        sandbox=bool(data["sandbox"]),
        warnings=[str(w) for w in data["warnings"]],
        ignored={a: [_field(d) for d in diffs] for a, diffs in data.get("ignored", {}).items()},
        **inputs,
    )


# a change's identity is saved flat, as before it had one, and without its parent (which
# its desired resource or prior entry holds): saved plans keep the same format
_CHANGE_IDENTITY = ("address", "provider", "target", "kind", "interview")


def change_to_data(change: Change) -> dict[str, Any]:
    data = {name: getattr(change.identity, name) for name in _CHANGE_IDENTITY}
    data.update(
        (f.name, plain(getattr(change, f.name)))
        for f in dataclasses.fields(change)
        if f.name not in ("identity", "desired", "prior")
    )
    desired = change.desired
    data["desired"] = (
        plain({**desired_to_wire(desired), "origins": desired.origins}) if desired else None
    )
    data["prior"] = change.prior.model_dump(mode="json") if change.prior else None
    return data


def change_from_data(data: Mapping[str, Any]) -> Change:
    values = dict(data)
    values["action"] = Action(data["action"])
    values["fields"] = [_field(f) for f in data["fields"]]
    values["questions"] = [_question(q) for q in data["questions"]]
    desired = desired_from_data(data["desired"]) if data["desired"] else None
    prior = Entry.model_validate(data["prior"]) if data["prior"] else None
    values["desired"], values["prior"] = desired, prior
    values["parent"] = desired.parent if desired else prior.parent if prior else None
    values["identity"] = Identity.taken_from(values)
    return Change(**values)


def _field(data: Mapping[str, Any]) -> FieldDiff:
    return FieldDiff(**data)


def _question(data: Mapping[str, Any]) -> QuestionChange:
    values = dict(data)
    values["words"] = tuple((op, text) for op, text in data["words"])
    values["fields"] = tuple(_field(f) for f in data["fields"])
    return QuestionChange(**values)
