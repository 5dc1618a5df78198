"""Versive's definition section (`versive:`): the study and its participants."""

from __future__ import annotations

from pydantic import Field

from interform.model.fields import (
    FreeForm,
    Slug,
    Strict,
)
from interform.model.remote_id import RemoteId


class VersiveMessage(Strict):
    title: str | None = None
    body: str | None = None


class VersiveStudy(Strict):
    """A study interform creates and manages (POST /api/v1/studies)."""

    type: str | None = Field(None, description="Study type (Versive default VERSIVE_STUDY).")
    mode: str | None = Field(None, description="Study mode (Versive default TEXT_AND_VOICE).")
    config: FreeForm | None = Field(None, description="e.g. interviewName, primaryColor.")
    metadata: FreeForm | None = None
    welcome_message: VersiveMessage | None = None
    thank_you_message: VersiveMessage | None = None
    screen_out_message: VersiveMessage | None = None
    folder_id: str | None = None


class VersiveParticipant(Strict):
    """One participant interview link (POST /api/v1/interviews)."""

    name: Slug = Field(description="Stable name; part of the session's address.")
    title: str | None = Field(None, description="Defaults to '<interview title> — <name>'.")
    metadata: FreeForm | None = None


class VersiveSettings(Strict):
    """A Versive study (existing or managed) and its participant interviews."""

    study_id: RemoteId | None = Field(
        None, description="Use this existing study; interform will not manage it."
    )
    study: VersiveStudy | None = Field(
        None, description="Create and manage a study for this interview."
    )
    participants: list[VersiveParticipant] = Field(default_factory=list)
