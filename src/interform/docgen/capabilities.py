"""A platform's capability table, from the `KindSpec`s its provider declares: the same
declarations the planner decides actions from, so the docs cannot promise otherwise."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from interform.providers.base import KindSpec, Policy, Removal

REMOVAL = {
    Removal.DELETE: "deleted on the platform (permanent)",
    Removal.SOFT_DELETE: "marked deleted on the platform (the record is kept)",
    Removal.ARCHIVE: "archived on the platform",
    Removal.FORGET: "forgotten: the platform has no delete, so the object stays there and "
    "interform stops tracking it",
}


def _fields(spec: KindSpec, policy: Policy) -> list[str]:
    return [f"`{name}`" for name, p in sorted(spec.fields.items()) if p is policy]


def updates_in_place(spec: KindSpec) -> str:
    if not spec.updatable:
        return "nothing (create-only)"
    if spec.default_policy is Policy.UPDATE:
        exceptions = any(p is not Policy.UPDATE for p in spec.fields.values())
        return "every field" + (" except those listed below" if exceptions else "")
    return ", ".join(_fields(spec, Policy.UPDATE)) or "nothing"


def forces_replacement(spec: KindSpec) -> str:
    if not spec.updatable:
        return "any change"
    named = _fields(spec, Policy.REPLACE)
    if spec.default_policy is Policy.REPLACE:
        return "any other field" if spec.fields else "any change"
    return ", ".join(named) or "nothing"


def not_compared(spec: KindSpec) -> str:
    return ", ".join(_fields(spec, Policy.IGNORE)) or "—"


def questions(spec: KindSpec) -> str:
    if spec.questions_field is None:
        return "—"
    key = f"`{spec.question_id_key}`" if spec.question_id_key else "their text"
    return f"`{spec.questions_field}`, question by question, matched on {key}"


def marker(spec: KindSpec) -> str:
    if spec.marker is None:
        return "none (found again by name and content)"
    return '`metadata["interform"]`' if spec.marker == "metadata" else f"`{spec.marker}`"


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


ROWS: Sequence[tuple[str, Callable[[KindSpec], str]]] = (
    ("per-candidate session", lambda s: yes_no(s.session)),
    ("updates in place", updates_in_place),
    ("forces replacement", forces_replacement),
    ("not compared", not_compared),
    ("question-level diff", questions),
    ("removal", lambda s: REMOVAL[s.removal]),
    ("read back (drift, `--refresh`)", lambda s: yes_no(s.readable)),
    ("listed or searched (resolves interrupted creates)", lambda s: yes_no(s.discoverable)),
    ("rediscovered by `interform refresh`", lambda s: yes_no(s.discoverable and bool(s.marker))),
    ("ownership marker", marker),
)


def capability_table(specs: Sequence[KindSpec]) -> str:
    head = "| | " + " | ".join(f"{s.label} (`{s.kind}`)" for s in specs) + " |"
    lines = [head, "|---" * (len(specs) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(cell(s) for s in specs) + " |" for name, cell in ROWS]
    for spec in specs:
        if spec.notes:
            lines += ["", f"{spec.label}:", ""] + [f"- {note}" for note in spec.notes]
    return "\n".join(lines)
