"""The published JSON Schemas, generated from the models: one registry, one writer.

`REGISTRY` maps a file name under `schemas/` to a zero-argument function returning the
schema. To publish another schema, add one line and its function (importing what it
needs when called).

`interform schema` writes them and copies the provider request/response schemas that
ship inside the package (`interform/data/providers/*.json`) to `schemas/providers/`;
`interform init` writes them into a new project so editors can complete offline. The
package itself never reads `schemas/`: an installed copy has no such directory.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any, Final

from pydantic import BaseModel

Schema = dict[str, Any]
SchemaFactory = Callable[[], Schema]

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
# where a project keeps them (`interform schema`, `interform init`)
SCHEMAS_DIR: Final = "schemas"
PROVIDERS_DIR: Final = "providers"


def interview_schema() -> Schema:
    from interform.model.definition import Definition

    return finish(Definition, "interform interview definition")


def project_schema() -> Schema:
    """interform.yaml. `defaults` is described as a partial definition (every definition
    key, none required), so editors complete and check it too."""
    from interform.model.definition import Definition
    from interform.model.project import Project

    schema = finish(Project, "interform project (interform.yaml)")
    definition = finish(Definition, "")
    clash = set(schema.get("$defs", {})) & set(definition.get("$defs", {}))
    if clash:  # pragma: no cover - a model rename would make the merged $defs ambiguous
        raise RuntimeError(f"project and definition schemas both define {sorted(clash)}")
    schema.setdefault("$defs", {}).update(definition.get("$defs", {}))
    defaults = schema["properties"]["defaults"]
    schema["properties"]["defaults"] = {
        "description": defaults.get("description", ""),
        "type": "object",
        "properties": definition["properties"],
        "additionalProperties": False,
    }
    return schema


def lockfile_schema() -> Schema:
    from interform.lockfile.model import Lockfile

    return finish(Lockfile, "interform lockfile (interform.lock)")


def plan_schema() -> Schema:
    """`plan --json`'s format: the JSON output owns it."""
    from interform.output.jsonout import plan_json_schema

    return plan_json_schema()


REGISTRY: Final[dict[str, SchemaFactory]] = {
    "interview.schema.json": interview_schema,
    "project.schema.json": project_schema,
    "lockfile.schema.json": lockfile_schema,
    "plan.schema.json": plan_schema,
}


def finish(model: type[BaseModel], title: str) -> Schema:
    """The model's schema, tidied for editors: draft declared, the generated per-field
    titles ("Answer Time") dropped so hovers show the descriptions, and a property
    that only refers to a shared definition borrows that definition's description."""
    raw = model.model_json_schema()
    defs = raw.get("$defs", {})
    schema: Schema = {"$schema": DRAFT}
    if title:
        schema["title"] = title
    schema.update({k: v for k, v in raw.items() if k != "title"})
    for holder in (schema, *defs.values()):
        for prop in holder.get("properties", {}).values():
            prop.pop("title", None)
            if "description" not in prop:
                described = _referenced_description(prop, defs)
                if described:
                    prop["description"] = described
    _close_pattern_properties(schema)
    return schema


def _close_pattern_properties(node: Any) -> None:
    """pydantic renders a mapping with constrained keys as `patternProperties`, which
    alone lets any other key through; the models refuse them, so the schema must too."""
    if isinstance(node, dict):
        if "patternProperties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _close_pattern_properties(value)
    elif isinstance(node, list):
        for value in node:
            _close_pattern_properties(value)


def _referenced_description(prop: Schema, defs: dict[str, Schema]) -> str:
    for option in [prop, *prop.get("anyOf", []), prop.get("items", {})]:
        ref = option.get("$ref", "") if isinstance(option, dict) else ""
        if ref.startswith("#/$defs/"):
            description: str = defs.get(ref.removeprefix("#/$defs/"), {}).get("description", "")
            return description
    return ""


def render(schema: Schema) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def generated() -> dict[str, str]:
    """File name (relative to schemas/) → text, for every schema."""
    out: dict[str, str] = {}
    for name, factory in REGISTRY.items():
        out[name] = render(factory())
    for name, text in provider_schemas().items():
        out[f"{PROVIDERS_DIR}/{name}"] = text
    return out


def provider_schemas() -> dict[str, str]:
    """The provider schemas shipped in the package, copied byte for byte."""
    directory = resources.files("interform").joinpath("data").joinpath(PROVIDERS_DIR)
    if not directory.is_dir():
        return {}
    return {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in sorted(directory.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".json") and entry.is_file()
    }
