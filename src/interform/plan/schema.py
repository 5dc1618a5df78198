"""The published schema of `plan --json` (`schemas/plan.schema.json`), for the registry in
`interform.schemas`; the renderer owns the format and its schema."""

from __future__ import annotations

from typing import Any


def plan_schema() -> dict[str, Any]:
    from interform.render.jsonout import plan_json_schema

    return plan_json_schema()
