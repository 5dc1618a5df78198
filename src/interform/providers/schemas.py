"""The platforms' request and response JSON Schemas (draft 2020-12), shipped as package
data in `interform/data/providers/<platform>.<kind>.<operation>.<request|response>.json`.

`problems(name, body)` validates one body and returns every violation as a JSON pointer
into the body plus a short message, so the plan can point at the YAML line responsible.
jsonschema is imported on first use only: the CLI must start without it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from interform.providers.base import BodyProblem

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

    from interform.providers.validity import Check

_SUFFIX = ".json"


def _directory() -> Any:
    return resources.files("interform") / "data" / "providers"


def names() -> list[str]:
    """Every schema shipped, by file stem (`micro1.interview.create.request`)."""
    return sorted(
        entry.name[: -len(_SUFFIX)]
        for entry in _directory().iterdir()
        if entry.name.endswith(_SUFFIX)
    )


@cache
def _text(name: str) -> str:
    entry = _directory().joinpath(name + _SUFFIX)
    if not entry.is_file():
        raise KeyError(f"no provider schema named {name!r}")
    text: str = entry.read_text(encoding="utf-8")
    return text


def load(name: str) -> dict[str, Any]:
    """A fresh copy of one schema document (callers may modify it)."""
    document: dict[str, Any] = json.loads(_text(name))
    return document


@cache
def _validator(name: str) -> Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load(name))


@cache
def checker(name: str) -> Check | None:
    """The compiled yes/no check of shipped schema `name` (None: not compilable)."""
    # the compiler loads with the first body checked, as jsonschema does: a no-change
    # plan checks none
    from interform.providers.validity import compile_check

    return compile_check(load(name))


def problems(name: str, body: Any) -> list[BodyProblem]:
    """Every way `body` breaks schema `name`, sorted by pointer; [] when it is valid."""
    # bodies are almost always valid: a compiled yes/no check (held to jsonschema's
    # verdicts by its tests) spares jsonschema's ~0.5 ms per body on large plans
    check = checker(name)
    if check is not None and check(body):
        return []
    found = {
        problem
        for error in _validator(name).iter_errors(body)
        for problem in _describe(_deepest(error))
    }
    return sorted(found, key=lambda p: (p.pointer, p.message))


# ---------------------------------------------------------------------- messages


def pointer(path: Any) -> str:
    """RFC 6901 JSON pointer for a sequence of keys and indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _deepest(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf, the branch that got furthest says most about the mistake."""
    from jsonschema.exceptions import best_match

    if error.context:
        return _deepest(best_match(error.context))
    return error


def _describe(error: ValidationError) -> list[BodyProblem]:
    here = list(error.absolute_path)
    kind, got = error.validator, error.instance
    expected: Any = error.validator_value
    if kind == "required":
        missing = [k for k in expected if isinstance(got, dict) and k not in got]
        return [BodyProblem(pointer([*here, k]), "is required") for k in missing]
    if kind in ("additionalProperties", "unevaluatedProperties") and isinstance(got, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extra = [k for k in got if k not in known]
        message = "is not a field the platform accepts"
        return [BodyProblem(pointer([*here, k]), message) for k in extra]
    return [BodyProblem(pointer(here), _message(str(kind), expected, got, error.message))]


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(kind: str, expected: Any, got: Any, fallback: str) -> str:
    if kind == "enum":
        shown = [v if isinstance(v, str) else json.dumps(v) for v in expected[:12]]
        options = ", ".join(shown) + (", ..." if len(expected) > 12 else "")
        return f"must be one of: {options} — got {_show(got)}"
    if kind == "const":
        return f"must be {_show(expected)} — got {_show(got)}"
    if kind == "type":
        types = " or ".join(expected) if isinstance(expected, list) else expected
        return f"must be of type {types} — got {_show(got)}"
    bounds = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "more than",
        "exclusiveMaximum": "less than",
    }
    if kind in bounds:
        return f"must be {bounds[kind]} {expected} — got {_show(got)}"
    if kind in ("minItems", "maxItems"):
        word = "at least" if kind == "minItems" else "at most"
        return f"must have {word} {expected} item{'s' if expected != 1 else ''} — got {len(got)}"
    if kind == "minLength":
        return "must not be empty" if expected == 1 else f"must be at least {expected} characters"
    if kind == "maxLength":
        return f"must be at most {expected} characters — got {len(got)}"
    if kind == "pattern":
        return f"must match {expected} — got {_show(got)}"
    if kind == "uniqueItems":
        return "must not repeat items"
    return fallback
