"""The committed schemas are what the models generate, and the JSON Schema editors use
agrees with the pydantic models the CLI validates with, on every example and broken file."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from interform.config.yamlparse import SyntaxProblem, parse
from interform.model.definition import Definition
from interform.model.merge import merge_defaults
from interform.model.project import Project
from interform.schemas import REGISTRY, generated

from .config_helpers import BROKEN, REPO


def test_committed_schemas_are_the_generated_ones() -> None:
    """Fails when a model changed without `interform schema`: run it and commit."""
    for name, text in generated().items():
        path = REPO / "schemas" / name
        assert path.is_file(), f"schemas/{name} is missing: run `interform schema`"
        assert path.read_text(encoding="utf-8") == text, f"schemas/{name} is stale"
    copies = {p.name for p in (REPO / "schemas" / "providers").glob("*.json")}
    assert copies == {n.split("/", 1)[1] for n in generated() if n.startswith("providers/")}


def test_the_registry_holds_the_three_core_schemas() -> None:
    assert {"interview.schema.json", "project.schema.json", "lockfile.schema.json"} <= set(REGISTRY)
    for name in ("interview.schema.json", "project.schema.json", "lockfile.schema.json"):
        schema = REGISTRY[name]()
        assert schema is not None
        jsonschema.Draft202012Validator.check_schema(schema)


def test_editors_get_descriptions_not_generated_titles() -> None:
    schema = json.loads(generated()["interview.schema.json"])
    question = schema["$defs"]["Question"]["properties"]
    assert "title" not in question["answer_time"]
    assert question["follow_up_to"]["description"].startswith("Makes this a conditional")
    assert schema["properties"]["micro1"]["description"].startswith("micro1 settings")
    project = json.loads(generated()["project.schema.json"])
    assert project["properties"]["defaults"]["additionalProperties"] is False
    assert "questions" in project["properties"]["defaults"]["properties"]


# ----------------------------------------------------------------------------- agreement


def as_json(value: Any) -> Any:
    """What an editor sees: YAML timestamps are strings to a JSON Schema validator."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def parsed(path: Path) -> Any:
    try:
        return parse(path.read_bytes().decode("utf-8"))
    except (SyntaxProblem, UnicodeDecodeError):
        return None  # pass 1 failures are not the schema's business


def definition_cases() -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(name, defaults, data) for every definition file that parses to a mapping."""
    projects = [REPO, BROKEN, *(p for p in (BROKEN / "projects").iterdir() if p.is_dir())]
    for root in projects:
        project = parsed(root / "interform.yaml")
        defaults = project.get("defaults", {}) if isinstance(project, dict) else {}
        for path in sorted(root.glob("interviews/**/*.y*ml")):
            data = parsed(path)
            if isinstance(data, dict) and isinstance(defaults, dict):
                yield str(path.relative_to(REPO)), defaults, data


DEFINITIONS = list(definition_cases())


def _pydantic_accepts(model: Any, data: Any) -> bool:
    try:
        model.model_validate(data)
    except ValidationError:
        return False
    return True


def test_there_is_something_to_compare() -> None:
    assert len(DEFINITIONS) >= 40


@pytest.mark.parametrize(("name", "defaults", "data"), DEFINITIONS, ids=[d[0] for d in DEFINITIONS])
def test_json_schema_and_models_agree_on_definitions(
    name: str, defaults: dict[str, Any], data: dict[str, Any]
) -> None:
    schema = json.loads(generated()["interview.schema.json"])
    merged = merge_defaults(defaults, data)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(as_json(merged)) == _pydantic_accepts(Definition, merged), name


PROJECT_FILES = [
    p / "interform.yaml"
    for p in [REPO, BROKEN, *sorted((BROKEN / "projects").iterdir())]
    if isinstance(parsed(p / "interform.yaml"), dict)
]


@pytest.mark.parametrize("path", PROJECT_FILES, ids=lambda p: str(p.parent.name))
def test_json_schema_and_models_agree_on_project_files(path: Path) -> None:
    data = parsed(path)
    schema = json.loads(generated()["project.schema.json"])
    defaults = data.get("defaults", {})
    models = _pydantic_accepts(Project, data) and (
        not isinstance(defaults, dict)
        or _pydantic_accepts(Definition, {"title": "defaults", **defaults})
    )
    assert jsonschema.Draft202012Validator(schema).is_valid(as_json(data)) == models
