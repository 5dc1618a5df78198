"""Instaview's definition section (`instaview:`): the agent and its sessions."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from interform.model.fields import (
    FreeForm,
    IsoDate,
    IsoDateTime,
    NonEmpty,
    Slug,
    Strict,
    Uuid,
)
from interform.model.remote_id import remote_id_problem


class InstaviewLanguageRequirement(Strict):
    language: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    proficiency: Literal["A1", "A2", "B1", "B2", "C1", "C2"]


class InstaviewLocation(Strict):
    work_mode: str | None = Field(None, description="e.g. REMOTE, ONSITE, HYBRID.")
    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country_code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None


class InstaviewSalary(Strict):
    min: float | None = None
    max: float | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    period: str | None = Field(None, description="e.g. YEARLY, MONTHLY, HOURLY.")


def _remote_id(value: str) -> str:
    problem = remote_id_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


# an existing Instaview object, referenced by id: never updated or deleted by interform
ExistingId = Annotated[Uuid, AfterValidator(_remote_id)]


class InstaviewJob(Strict):
    """The definition's job (XOR job_id): created once, shared by its sessions, updated
    in place, deleted with the definition."""

    title: NonEmpty | None = Field(None, description="Defaults to the interview title.")
    description: str | None = Field(None, description="Defaults to the interview description.")
    job_url: str | None = None
    benefits: str | None = None
    required_skills: list[NonEmpty] | None = Field(
        None, description="Defaults to the names of the interview's skills."
    )
    nice_to_have_skills: list[NonEmpty] | None = None
    language_requirements: list[InstaviewLanguageRequirement] | None = None
    education: list[NonEmpty] | None = None
    experience: str | None = None
    contract_type: str | None = None
    status: str | None = None
    location: InstaviewLocation | None = None
    salary: InstaviewSalary | None = None
    human_recruiter: str | None = None
    other_requirements: str | None = None
    metadata: FreeForm | None = None


class InstaviewCandidate(Strict):
    """The session's candidate: created once, kept when the session is replaced, updated
    in place, deleted with the session."""

    first_name: NonEmpty
    last_name: NonEmpty
    email: str | None = None
    phone_number: str | None = None
    gdpr_expiry_date: IsoDate
    job_id: ExistingId | None = Field(None, description="Associate with an existing job (XOR job).")
    metadata: FreeForm | None = Field(
        None, description="Kept on the candidate, e.g. an ATS reference (externalId)."
    )


class InstaviewSession(Strict):
    """One scheduled interview session with the agent (POST /interviews)."""

    name: Slug = Field(description="Stable name; part of the session's address.")
    candidate_id: ExistingId | None = Field(None, description="Existing candidate (XOR candidate).")
    candidate: InstaviewCandidate | None = None
    job_id: ExistingId | None = Field(None, description="Existing job for this session (XOR job).")
    schedule_time: IsoDateTime | None = Field(
        None, description="ISO 8601, at most 30 days ahead; omit to start immediately."
    )
    is_test: bool = Field(False, description="Test session: completes at once, not billed.")
    metadata: FreeForm | None = None


class InstaviewSettings(Strict):
    """Instaview agent (the reusable interview template) and its sessions."""

    type: Literal["ONLINE", "PHONE"] = "ONLINE"
    focus: Literal["SCREENING", "GENERIC", "OUTREACH", "LANGUAGE_TEST"] = "SCREENING"
    duration: int | None = Field(None, ge=1, le=240, description="Minutes.")
    voice_id: str | None = None
    cefr_level: Literal["A1", "A2", "B1", "B2", "C1", "C2"] | None = None
    instructions: str | None = Field(None, description="Defaults to the interview description.")
    company_phone_number_id: Uuid | None = None
    agent_id: ExistingId | None = Field(
        None,
        description="Existing agent the sessions use instead of one made from this "
        "definition (never updated or deleted; the agent settings above are not sent).",
    )
    job_id: ExistingId | None = Field(None, description="Existing job used by sessions (XOR job).")
    job: InstaviewJob | None = None
    sessions: list[InstaviewSession] = Field(default_factory=list)
