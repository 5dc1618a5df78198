"""The reverse of Instaview's render for agents: an agent body (`POST /agents` shape, as
read back) → the definition that renders exactly that body. Sessions are not generated:
each belongs to its agent's definition, under `instaview.sessions`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from interform.providers.generating import Spelled, language_of
from interform.providers.instaview.render import SETTINGS_FIELDS
from interform.providers.instaview.settings import InstaviewSettings


def definition(
    kind: str, body: Mapping[str, Any], target: str, defaults: Mapping[str, Any]
) -> dict[str, Any]:
    top = Spelled(defaults)
    top.data["title"] = body.get("name", "")
    # the agent's instructions default to the description: the portable place for them
    top.put("description", body.get("instructions"))
    top.put("language", language_of(body.get("language"), "instaview"), "en")
    top.data["targets"] = [target]
    top.put("questions", [{"text": text} for text in body.get("questions") or []], [])
    section = top.nested("instaview")
    for field, key in SETTINGS_FIELDS.items():
        section.put(key, body.get(field), InstaviewSettings.model_fields[key].default)
    # a project default for instaview.instructions would win over the description: then
    # they are spelled there as well (unless they are that default)
    section.put("instructions", body.get("instructions"), default=body.get("instructions"))
    top.put_mapping("instaview", section)
    return top.data
