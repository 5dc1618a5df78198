"""Pass 2 messages: pydantic validation errors → human `Issue`s.

Users never see pydantic's wording ("Input should be a valid dictionary or instance of
Question"); each error type gets a sentence that names the key as the user wrote it
(`questions[2].answer_type`), says what is expected, shows what was found, and, for
unknown keys and enum values, suggests the closest allowed word.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Final

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from interform.config.issues import Issue, YamlPath, did_you_mean, dotted, show, suggest
from interform.model.address import DEFINITION_RE

# Patterns of the models, described in words. Anything not listed is shown as the regex.
PATTERN_WORDS: Final[dict[str, str]] = {
    r"^[a-z0-9][a-z0-9_-]*$": 'lower-case letters, digits, "-" and "_", starting with a letter '
    "or digit",
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$": "a UUID "
    "such as 123e4567-e89b-12d3-a456-426614174000",
    r"^[A-Z]{2}$": "two upper-case letters (ISO code, e.g. EN, SK)",
    r"^[A-Z]{3}$": "three upper-case letters (ISO 4217, e.g. EUR)",
    r"^https?://": "a URL starting with http:// or https://",
    r"^https://": "an https:// URL (platforms deliver webhooks over HTTPS only)",
    r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,255}$": "an HTTP header name (letters, digits, - and _)",
    r"^[A-Za-z_][A-Za-z0-9_]*$": "an environment variable name (letters, digits and _)",
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$": 'letters, digits, ".", "_" and "-"',
    r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$": 'letters, digits, ".", "_", ":", "/" and "-", starting '
    "with a letter or digit (e.g. ATS-Q1)",
    DEFINITION_RE.pattern: "a definition address: its path under interviews/ without the "
    "extension, e.g. engineering/backend-senior",
}

_TYPE_WORDS: Final[dict[str, str]] = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "date_type": "must be a date such as 2026-11-16",
    "date_parsing": "must be a date such as 2026-11-16",
    "date_from_datetime_parsing": "must be a date such as 2026-11-16",
    "datetime_type": "must be a date and time such as 2026-05-04T09:30:00+02:00",
    "datetime_parsing": "must be a date and time such as 2026-05-04T09:30:00+02:00",
    "datetime_from_date_parsing": "must be a date and time such as 2026-05-04T09:30:00+02:00",
    "none_required": "must be empty",
}

_TYPE_FIXES: Final[dict[str, str]] = {
    "list_type": 'write one item per line, each starting with "- "',
    "dict_type": 'write "key: value" lines indented under it',
    "model_type": 'write "key: value" lines indented under it',
    "model_attributes_type": 'write "key: value" lines indented under it',
}

_Keys = Callable[[YamlPath], list[str]]

_BOUNDS: Final[dict[str, tuple[str, str]]] = {
    "greater_than_equal": ("ge", "at least"),
    "less_than_equal": ("le", "at most"),
    "greater_than": ("gt", "greater than"),
    "less_than": ("lt", "less than"),
}


def schema_issues(
    err: ValidationError, model: type[BaseModel], *, echo: bool = True, prefix: YamlPath = ()
) -> list[Issue]:
    """One Issue per pydantic error. `echo=False` never shows the offending values (the
    project file may hold a credential in the wrong place). `prefix` is prepended to every
    path, for data validated below the document's root (interform.yaml `defaults`)."""

    def keys(loc: YamlPath) -> list[str]:
        return allowed_keys(model, loc[len(prefix) :])

    out: list[Issue] = []
    for error in err.errors(include_url=False):
        loc: YamlPath = tuple(p for p in error["loc"] if isinstance(p, (str, int)))
        out.append(describe(error, (*prefix, *loc), keys, echo))
    return out


def describe(error: ErrorDetails, loc: YamlPath, keys: _Keys, echo: bool) -> Issue:
    """The issue for one error; its fix is never empty. `keys` gives the allowed keys of
    the mapping at a path (for the did-you-mean of unknown keys)."""
    got = f"got {show(error['input'])}" if echo else ""
    handler = _HANDLERS.get(error["type"]) or _generic
    issue = handler(error, loc, keys, got)
    if issue.fix:
        return issue
    return Issue(issue.path, issue.message, _fix_for_input(error), issue.at_key)


def _generic(error: ErrorDetails, loc: YamlPath, keys: _Keys, got: str) -> Issue:
    kind, where = error["type"], dotted(loc)
    if kind in _TYPE_WORDS:
        fix = _TYPE_FIXES.get(kind, "")
        if kind == "string_type" and not isinstance(error["input"], (dict, list, type(None))):
            fix = "put it in quotes to make it text"
        return Issue(loc, f"{where} {_TYPE_WORDS[kind]}", "; ".join(x for x in (got, fix) if x))
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        bound = _number((error.get("ctx") or {}).get(key))
        return Issue(loc, f"{where} must be {words} {bound}", got)
    return Issue(loc, f"{where} {_plain_message(error['msg'])}", got)


def _number(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _fix_for_input(error: ErrorDetails) -> str:
    """A fix that depends on the kind of value found, never on the value itself."""
    value = error["input"]
    if isinstance(value, str) and error["type"] in ("int_type", "float_type", "bool_type"):
        return "remove the quotes"
    if error["type"] == "literal_error":
        return "use one of them"
    return "correct the value"


def _plain_message(msg: str) -> str:
    msg = msg.removeprefix("Value error, ")
    return msg[:1].lower() + msg[1:]


def _missing(error: ErrorDetails, loc: YamlPath, keys: _Keys, got: str) -> Issue:
    key = loc[-1] if loc else "?"
    return Issue(loc[:-1], f"{dotted(loc)} is required", f'add "{key}:"', at_key=True)


def _extra(error: ErrorDetails, loc: YamlPath, keys: _Keys, got: str) -> Issue:
    key = str(loc[-1]) if loc else "?"
    parent = dotted(loc[:-1])
    message = f'unknown key "{key}"' + (f" in {parent}" if parent else "")
    return Issue(loc, message, suggest(key, keys(loc[:-1]), "allowed keys"), at_key=True)


def _literal(error: ErrorDetails, loc: YamlPath, keys: _Keys, got: str) -> Issue:
    expected = str((error.get("ctx") or {}).get("expected", ""))
    choices = re.findall(r"'([^']*)'", expected)
    fix = got
    value = error["input"]
    if got and isinstance(value, str):
        close = did_you_mean(value, choices) or did_you_mean(value.lower(), choices)
        if close is not None:
            fix = f'{got}; did you mean "{close}"?'
    return Issue(loc, f"{dotted(loc)} must be one of: {', '.join(choices)}", fix)


def _pattern(error: ErrorDetails, loc: YamlPath, keys: _Keys, got: str) -> Issue:
    pattern = str((error.get("ctx") or {}).get("pattern", ""))
    words = PATTERN_WORDS.get(pattern, f"text matching {pattern}")
    if len(loc) >= 2 and loc[-1] == "[key]":  # a constrained mapping key (target names)
        key, parent = loc[-2], dotted(loc[:-2])
        return Issue(loc[:-1], f'key "{key}" in {parent} must be {words}', "rename it", True)
    return Issue(loc, f"{dotted(loc)} must be {words}", got)


def _too_short(error: ErrorDetails, loc: YamlPath, keys: _Keys, got: str) -> Issue:
    ctx = error.get("ctx") or {}
    size = ctx.get("min_length", 1)
    if error["type"] == "string_too_short" and size == 1:
        return Issue(loc, f"{dotted(loc)} must not be empty", "write a value or remove the key")
    unit = "characters" if error["type"] == "string_too_short" else "items"
    return Issue(loc, f"{dotted(loc)} must have at least {size} {unit}", got)


def _too_long(error: ErrorDetails, loc: YamlPath, keys: _Keys, got: str) -> Issue:
    ctx = error.get("ctx") or {}
    unit = "characters" if error["type"] == "string_too_long" else "items"
    return Issue(loc, f"{dotted(loc)} must have at most {ctx.get('max_length')} {unit}", got)


_Handler = Callable[[ErrorDetails, YamlPath, _Keys, str], Issue]

_HANDLERS: Final[dict[str, _Handler]] = {
    "missing": _missing,
    "extra_forbidden": _extra,
    "literal_error": _literal,
    "string_pattern_mismatch": _pattern,
    "string_too_short": _too_short,
    "too_short": _too_short,
    "string_too_long": _too_long,
    "too_long": _too_long,
}


# ----------------------------------------------------------------------------- model walk


def allowed_keys(model: type[BaseModel], loc: YamlPath) -> list[str]:
    """Field names of the model found at `loc` (empty when it is not a model)."""
    found = _model_at(model, loc)
    return list(found.model_fields) if found is not None else []


def _model_at(model: type[BaseModel], loc: YamlPath) -> type[BaseModel] | None:
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        origin = typing.get_origin(annotation)
        if origin is list:
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        elif _is_model(annotation) and isinstance(part, str) and part in annotation.model_fields:
            annotation = annotation.model_fields[part].annotation
        else:
            return None
    annotation = _unwrap(annotation)
    return annotation if _is_model(annotation) else None


def _unwrap(annotation: Any) -> Any:
    """`X | None` → X, `Annotated[X, ...]` → X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _is_model(annotation: Any) -> typing.TypeGuard[type[BaseModel]]:
    return inspect.isclass(annotation) and issubclass(annotation, BaseModel)
