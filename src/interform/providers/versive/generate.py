"""The reverse of Versive's render for studies: a study body → the definition that
renders exactly that body. Participant interviews are not generated: each belongs to its
study's definition, under `versive.participants`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from interform.providers.generating import Spelled

DEFAULTS: Mapping[str, Any] = {"type": "VERSIVE_STUDY", "mode": "TEXT_AND_VOICE"}
FIELDS = (
    "type",
    "mode",
    "config",
    "metadata",
    "welcome_message",
    "thank_you_message",
    "screen_out_message",
    "folder_id",
)


def definition(
    kind: str, body: Mapping[str, Any], target: str, defaults: Mapping[str, Any]
) -> dict[str, Any]:
    top = Spelled(defaults)
    top.data["title"] = body.get("title", "")
    top.put("description", body.get("description"))
    top.data["targets"] = [target]
    study = top.nested("versive").nested("study")
    for key in FIELDS:
        study.put(key, body.get(key), DEFAULTS.get(key))
    top.data["versive"] = {"study": study.data}
    return top.data
