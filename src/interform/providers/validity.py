"""A fast yes/no check of a body against a shipped request schema.

jsonschema spends about half a millisecond on a typical create body, more than the rest
of an emulated request together. Bodies are almost always valid, so the emulators ask
this compiled check first (`interform.providers.schemas.checker`) and ask jsonschema
for the messages the plan shows only when it says no. It compiles the keywords the provider
schemas use into closures; a schema using any other keyword is not compiled and every
body goes to jsonschema, so the answer never differs from jsonschema's (a test holds
the two to the same verdicts).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]
_IGNORED = frozenset(
    {"$schema", "$id", "title", "description", "default", "examples", "$comment", "$defs"}
)


class Unsupported(Exception):
    """The schema uses a keyword this module does not compile."""


def compile_check(document: dict[str, Any]) -> Check | None:
    """The compiled check of a schema document; None when it cannot be compiled."""
    try:
        return _compile(document, document)
    except Unsupported:
        return None


def _is_type(value: Any, kind: str) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "null":
        return value is None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return kind == "number" or (kind == "integer" and float(value).is_integer())


_SIMPLE = {"object": dict, "array": list, "string": str, "boolean": bool}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _type_check(kinds: list[str]) -> Check:
    # the common cases as single isinstance calls; numbers need care (true is not 1)
    if all(k in _SIMPLE for k in kinds):
        types = tuple(_SIMPLE[k] for k in kinds)
        return lambda v: isinstance(v, types)
    if kinds == ["number"]:
        return _is_number
    if len(kinds) == 2 and "null" in kinds and (other := (set(kinds) - {"null"}).pop()) in _SIMPLE:
        simple = _SIMPLE[other]
        return lambda v: v is None or isinstance(v, simple)
    return lambda v: any(_is_type(v, k) for k in kinds)


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    comparable = type(a) is type(b) or (_is_type(a, "number") and _is_type(b, "number"))
    return comparable and bool(a == b)


def _compile(schema: Any, root: dict[str, Any]) -> Check:
    if schema is True:
        return lambda _: True
    if schema is False:
        return lambda _: False
    if not isinstance(schema, dict):
        raise Unsupported(repr(schema))
    checks = [_keyword(key, value, schema, root) for key, value in schema.items()]
    found = tuple(c for c in checks if c is not None)
    if len(found) == 1:
        return found[0]

    def every(value: Any) -> bool:
        for check in found:  # noqa: SIM110 - hot path: a loop is cheaper than all(genexpr)
            if not check(value):
                return False
        return True

    return every


def _keyword(key: str, value: Any, schema: dict[str, Any], root: dict[str, Any]) -> Check | None:
    if key in _IGNORED or key in ("then", "else"):
        return None
    for group in (_generic, _objects, _arrays, _scalars, _combinators):
        check = group(key, value, schema, root)
        if check is not None:
            return check
    raise Unsupported(key)


def _generic(key: str, value: Any, schema: dict[str, Any], root: dict[str, Any]) -> Check | None:
    if key == "type":
        return _type_check(value if isinstance(value, list) else [value])
    if key == "enum":
        if all(isinstance(o, str) for o in value):
            options = frozenset(value)
            return lambda v: isinstance(v, str) and v in options
        return lambda v: any(_equal(v, option) for option in value)
    if key == "const":
        return lambda v: _equal(v, value)
    if key == "$ref":
        if not value.startswith("#/"):
            raise Unsupported(value)
        target: Any = root
        for part in value[2:].split("/"):
            target = target[part]
        return _compile(target, root)
    return None


def _objects(key: str, value: Any, schema: dict[str, Any], root: dict[str, Any]) -> Check | None:
    if key == "properties":
        subs = {name: _compile(sub, root) for name, sub in value.items()}

        def properties(v: Any) -> bool:
            if isinstance(v, dict):
                for k, item in v.items():
                    check = subs.get(k)
                    if check is not None and not check(item):
                        return False
            return True

        return properties
    if key == "required":

        def required(v: Any) -> bool:
            if isinstance(v, dict):
                for k in value:  # hot path: a loop is cheaper than all(genexpr)
                    if k not in v:
                        return False
            return True

        return required
    if key == "additionalProperties":
        known = set(schema.get("properties", {}))
        if schema.get("patternProperties"):
            raise Unsupported("patternProperties")
        extra = _compile(value, root)
        return lambda v: (
            not isinstance(v, dict) or all(extra(item) for k, item in v.items() if k not in known)
        )
    if key in ("maxProperties", "minProperties"):
        most = key == "maxProperties"
        return lambda v: not isinstance(v, dict) or (len(v) <= value if most else len(v) >= value)
    return None


def _arrays(key: str, value: Any, schema: dict[str, Any], root: dict[str, Any]) -> Check | None:
    if key == "items":
        item = _compile(value, root)

        def items(v: Any) -> bool:
            if isinstance(v, list):
                for x in v:
                    if not item(x):
                        return False
            return True

        return items
    if key in ("maxItems", "minItems"):
        most = key == "maxItems"
        return lambda v: not isinstance(v, list) or (len(v) <= value if most else len(v) >= value)
    if key == "uniqueItems":
        return lambda v: (
            not (value and isinstance(v, list))
            or all(not _equal(a, b) for i, a in enumerate(v) for b in v[i + 1 :])
        )
    return None


def _scalars(key: str, value: Any, schema: dict[str, Any], root: dict[str, Any]) -> Check | None:
    if key in ("minLength", "maxLength"):
        most = key == "maxLength"
        return lambda v: not isinstance(v, str) or (len(v) <= value if most else len(v) >= value)
    if key == "pattern":
        compiled = re.compile(value)
        return lambda v: not isinstance(v, str) or compiled.search(v) is not None
    bounds: dict[str, Callable[[Any], bool]] = {
        "minimum": lambda v: v >= value,
        "maximum": lambda v: v <= value,
        "exclusiveMinimum": lambda v: v > value,
        "exclusiveMaximum": lambda v: v < value,
    }
    if key in bounds:
        bound = bounds[key]
        return lambda v: not _is_number(v) or bound(v)
    return None


def _combinators(
    key: str, value: Any, schema: dict[str, Any], root: dict[str, Any]
) -> Check | None:
    if key in ("anyOf", "oneOf", "allOf"):
        subs = [_compile(sub, root) for sub in value]
        if key == "anyOf":
            return lambda v: any(s(v) for s in subs)
        if key == "allOf":
            return lambda v: all(s(v) for s in subs)
        return lambda v: sum(1 for s in subs if s(v)) == 1
    if key == "not":
        inner = _compile(value, root)
        return lambda v: not inner(v)
    if key == "if":
        condition = _compile(value, root)
        then = _compile(schema.get("then", True), root)
        otherwise = _compile(schema.get("else", True), root)
        return lambda v: then(v) if condition(v) else otherwise(v)
    return None
