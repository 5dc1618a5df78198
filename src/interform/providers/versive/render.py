"""Versive: a definition as request bodies, and what the platform returns in that shape.

Pure (no HTTP). A definition is a study (`POST /api/v1/studies`) unless `versive.study_id`
names an existing one, which interform then leaves alone; each participant is a session
(`POST /api/v1/interviews`) of that study. Bodies leave out what `create` injects: the
ownership marker (in `metadata`) and, for sessions, `study_id`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from interform.model import languages
from interform.model.definition import section
from interform.providers.base import (
    DesiredResource,
    Placement,
    YamlPath,
    metadata_with_marker,
    split_metadata_marker,
)
from interform.providers.versive.settings import VersiveStudy

if TYPE_CHECKING:
    from interform.model.definition import Definition
    from interform.providers.versive.settings import VersiveSettings

PROVIDER = "versive"
DEFAULT_TYPE = "VERSIVE_STUDY"
DEFAULT_MODE = "TEXT_AND_VOICE"
STUDY_FIELDS = (
    "title",
    "description",
    "metadata",
    "config",
    "type",
    "mode",
    "welcome_message",
    "thank_you_message",
    "screen_out_message",
    "folder_id",
)
MESSAGES = ("welcome_message", "thank_you_message", "screen_out_message")
# the only study fields `PUT /api/v1/studies/{id}` is documented to take
UPDATABLE = ("config", "metadata")
SESSION_FIELDS = ("title", "metadata", "language")


def render(defn: Definition, interview: str, target: str, source: str) -> list[DesiredResource]:
    """The managed study (none when `study_id` names one), then the participants."""
    settings: VersiveSettings = section(defn, PROVIDER)
    place = Placement(defn, interview, target, source, PROVIDER)
    out: list[DesiredResource] = []
    parent = None
    if settings.study_id is None:
        study = _study(place, settings.study or VersiveStudy())
        out.append(study)
        parent = study.address
    for index in range(len(settings.participants)):
        out.append(_session(place, settings, index, parent))
    return out


# ---------------------------------------------------------------------- study


def _study(place: Placement, study: VersiveStudy) -> DesiredResource:
    defn = place.defn
    here: YamlPath = (PROVIDER, "study")
    body: dict[str, Any] = {"title": defn.title, "type": study.type or DEFAULT_TYPE}
    body["mode"] = study.mode or DEFAULT_MODE
    origins: dict[str, YamlPath] = {
        "/title": ("title",),
        "/type": (*here, "type"),
        "/mode": (*here, "mode"),
    }
    if defn.description is not None:
        body["description"] = defn.description
        origins["/description"] = ("description",)
    for key in ("config", "metadata", "folder_id", *MESSAGES):
        value = _plain(getattr(study, key))
        if value is not None:
            body[key] = value
            origins["/" + key] = (*here, key)
    return place.resource("study", body, origins=origins, notes=_unsent(defn, "study"))


def _plain(value: Any) -> Any:
    """Empty mappings and messages are dropped like None: Versive returns them as null."""
    if isinstance(value, BaseModel):
        value = value.model_dump(exclude_none=True)
    if isinstance(value, Mapping):
        return dict(value) or None
    return value


def _unsent(defn: Definition, where: str) -> tuple[str, ...]:
    notes = []
    if defn.questions:
        notes.append(
            f"questions are not sent: Versive changes a {where}'s questions only through its "
            "AI editor — add them in Versive"
        )
    if defn.skills:
        notes.append("skills are not sent: Versive studies have no skills field")
    return tuple(notes)


def study_wire(body: Mapping[str, Any], marker: str) -> dict[str, Any]:
    """The exact `POST /api/v1/studies` body: the marker merged into the metadata."""
    return {**body, "metadata": metadata_with_marker(body.get("metadata"), marker)}


def study_update(
    body: Mapping[str, Any], changed: Collection[str], marker: str | None
) -> dict[str, Any]:
    """`PUT /api/v1/studies/{id}`: the changed in-place fields only. Metadata goes whole
    (marker included: a partial PUT replaces the field), and null clears config."""
    wire: dict[str, Any] = {}
    for key in UPDATABLE:
        if key not in changed:
            continue
        value = body.get(key)
        if key == "metadata" and marker:
            value = metadata_with_marker(value, marker)
        wire[key] = value
    return wire


def study_from_remote(remote: Mapping[str, Any]) -> dict[str, Any]:
    """A study as returned by create/update, in the shape of the rendered body."""
    body: dict[str, Any] = {}
    for key in STUDY_FIELDS:
        value = remote.get(key)
        if key == "metadata":
            value, _ = split_metadata_marker(value)
        elif key in MESSAGES and isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if v is not None} or None
        elif key == "config" and isinstance(value, Mapping):
            value = dict(value) or None
        if value is not None:
            body[key] = value
    return body


# ---------------------------------------------------------------------- sessions


def _session(
    place: Placement, settings: VersiveSettings, index: int, parent: str | None
) -> DesiredResource:
    defn = place.defn
    participant = settings.participants[index]
    here: YamlPath = (PROVIDER, "participants", index)
    title = participant.title
    body: dict[str, Any] = {
        "title": title if title is not None else f"{defn.title} — {participant.name}",
        "language": languages.to_platform(defn.language, PROVIDER) or defn.language,
    }
    origins: dict[str, YamlPath] = {
        "": here,
        "/title": (*here, "title") if title is not None else ("title",),
        "/language": ("language",),
    }
    if participant.metadata:
        body["metadata"] = dict(participant.metadata)
        origins["/metadata"] = (*here, "metadata")
    return place.resource(
        "session",
        body,
        participant.name,
        parent=parent,
        parent_remote_id=settings.study_id,
        origins=origins,
        notes=_unsent(defn, "study") if settings.study_id is not None else (),
    )


def session_wire(body: Mapping[str, Any], marker: str, study_id: str) -> dict[str, Any]:
    """The exact `POST /api/v1/interviews` body."""
    return {
        **body,
        "study_id": study_id,
        "metadata": metadata_with_marker(body.get("metadata"), marker),
    }


def session_from_remote(
    remote: Mapping[str, Any], sent: Mapping[str, Any] | None
) -> dict[str, Any]:
    """An interview as returned by `GET /api/v1/interviews/{id}`, in the shape of the body.
    Versive does not document `language` in the response: when it is missing the value
    last sent is kept, since it cannot be observed."""
    body: dict[str, Any] = {}
    if remote.get("title") is not None:
        body["title"] = remote["title"]
    metadata, _ = split_metadata_marker(remote.get("metadata"))
    if metadata:
        body["metadata"] = metadata
    language = remote.get("language") or (sent or {}).get("language")
    if language:
        body["language"] = language
    return body
