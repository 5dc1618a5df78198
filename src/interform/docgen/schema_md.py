"""A JSON Schema (as `interform schema` publishes it) as Markdown reference tables: one
table for the document, then one per `$defs` entry in the order they are first reached,
so a reader meets a section right after the field that leads to it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

Schema = Mapping[str, Any]

# keyword -> how it reads in the "constraints" part of a field's description
_BOUNDS = {
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "minimum": "≥ {}",
    "exclusiveMinimum": "> {}",
    "maximum": "≤ {}",
    "exclusiveMaximum": "< {}",
    "minItems": "at least {} items",
    "maxItems": "at most {} items",
    "pattern": "matches `{}`",
    "format": "format {}",
}


def render_reference(
    schema: Schema, title: str, intro: str, elsewhere: Mapping[str, str] | None = None
) -> str:
    """`elsewhere`: top-level keys documented on another page (key -> type cell text);
    their sub-schemas are not expanded here."""
    elsewhere = elsewhere or {}
    lines = [f"# {title}", "", intro, ""]
    defs: Mapping[str, Schema] = schema.get("$defs", {})
    lines += _section(schema, defs, None, elsewhere)
    for name in _reached_defs(schema, defs, elsewhere):
        lines += _section(defs[name], defs, name, {})
    return "\n".join(lines).rstrip() + "\n"


def _section(
    node: Schema, defs: Mapping[str, Schema], heading: str | None, elsewhere: Mapping[str, str]
) -> list[str]:
    lines = [f"## {heading}", ""] if heading else []
    if heading and node.get("description"):
        lines += [_text(node["description"]), ""]
    if node.get("additionalProperties") is False:
        lines += ["No other keys are allowed.", ""]
    required = set(node.get("required", ()))
    lines += ["| key | type | required | default | description |", "|---|---|---|---|---|"]
    for key, prop in node.get("properties", {}).items():
        req = "yes" if key in required else ""
        kind = elsewhere.get(key) or type_of(prop, defs)
        lines.append(
            f"| `{key}` | {_cell(kind)} | {req} | {_cell(_default(prop))} "
            f"| {_cell(_describe(prop))} |"
        )
    return [*lines, ""]


def _reached_defs(
    schema: Schema, defs: Mapping[str, Schema], elsewhere: Mapping[str, str]
) -> list[str]:
    props = {k: v for k, v in schema.get("properties", {}).items() if k not in elsewhere}
    order: list[str] = []
    pending = list(_refs(props))
    while pending:
        name = pending.pop(0)
        if name in order or name not in defs:
            continue
        order.append(name)
        pending += list(_refs(defs[name].get("properties", {})))
    return order


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            yield ref.removeprefix("#/$defs/")
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _variants(node: Schema) -> list[Schema]:
    """The non-null alternatives of a (possibly nested) anyOf/oneOf."""
    alternatives = node.get("anyOf") or node.get("oneOf")
    if not alternatives:
        return [] if node.get("type") == "null" else [node]
    return [v for alt in alternatives for v in _variants(alt)]


def type_of(node: Schema, defs: Mapping[str, Schema]) -> str:
    names = []
    for variant in _variants(node):
        name = _single_type(variant, defs)
        if name not in names:
            names.append(name)
    return " or ".join(names) or "null"


def _single_type(node: Schema, defs: Mapping[str, Schema]) -> str:
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.removeprefix("#/$defs/")
        return f"[{name}](#{name.lower()})"
    if "enum" in node:
        return " | ".join(f"`{json.dumps(v)}`" for v in node["enum"])
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    kind = node.get("type", "any")
    if kind == "array":
        return f"list of {type_of(node.get('items', {}), defs)}"
    if kind == "object":
        for pattern, value in node.get("patternProperties", {}).items():
            return f"mapping of name (`{pattern}`) to {type_of(value, defs)}"
        extra = node.get("additionalProperties")
        if isinstance(extra, Mapping) and extra:
            return f"mapping of string to {type_of(extra, defs)}"
        return "mapping"
    return str(kind)


def _default(node: Schema) -> str:
    if node.get("default") is None or isinstance(node["default"], Mapping):
        return ""  # an object's defaults are those of its own keys, listed in its section
    return f"`{json.dumps(node['default'], ensure_ascii=False)}`"


def _describe(node: Schema) -> str:
    variants = _variants(node)
    limits = []
    for variant in variants:
        found = _constraints(variant)
        items = variant.get("items")
        if isinstance(items, Mapping) and (each := _constraints(items)):
            found += [f"each item {c}" for c in each]
        if found and len(variants) > 1:
            limits.append(f"as {_single_type(variant, {})}: {', '.join(found)}")
        elif found:
            limits.append(", ".join(found))
    parts = [_text(t) for t in _descriptions(node)] + [_sentence(c) for c in limits]
    return " ".join(p if p.endswith(".") else p + "." for p in parts)


def _descriptions(node: Schema) -> list[str]:
    found = [node["description"]] if node.get("description") else []
    for alternative in node.get("anyOf") or node.get("oneOf") or ():
        found += _descriptions(alternative)
    return found


def _constraints(node: Schema) -> list[str]:
    found = [text.format(node[key]) for key, text in _BOUNDS.items() if key in node]
    if node.get("minLength") == 1:
        found[0] = "not empty"  # minLength is the first bound checked
    if node.get("uniqueItems"):
        found.append("no duplicates")
    return found


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _text(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    """Markdown table cells cannot hold a raw pipe, not even inside backticks."""
    return text.replace("|", "\\|")
