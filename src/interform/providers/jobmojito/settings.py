"""JobMojito's definition section (`jobmojito:`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from interform.model.definition import JobMojitoRubric
from interform.model.fields import (
    FreeForm,
    IsoDateOrTime,
    NonEmpty,
    Strict,
)
from interform.model.remote_id import RemoteId


class HiringForCompany(Strict):
    name: str | None = None
    description: str | None = None
    location: str | None = None
    sector: str | None = None
    company_size: str | None = None


class JobMojitoEmbed(Strict):
    """Iframe embedding. The signing key is a secret: never in the lockfile or output."""

    enabled: bool = True
    signing_key_file: str | None = Field(
        None,
        description=(
            "File to write the embed signing key to (mode 0600) when the platform "
            "returns one: relative to the project, inside it, not one of interform's "
            "own files, and ignored by git (plan refuses a file git would commit). "
            "Without it the key is discarded; fetch it later with `interform embed-key`."
        ),
    )


class JobMojitoPdfExport(Strict):
    """The candidate PDF report JobMojito makes when an interview completes."""

    mojito_language_code: str | None = Field(
        None, description="Language of the report (a language code, as for language:)."
    )
    contact_details: bool | None = Field(None, description="Candidate contact details.")
    ai_recruiter_assessment: bool | None = Field(None, description="The AI recruiter's verdict.")
    ai_scoring_rubric: bool | None = Field(None, description="The scoring rubric.")
    analytics: bool | None = None
    files: bool | None = Field(None, description="Files the candidate uploaded.")
    transcript: bool | None = None
    answer_recording: bool | None = Field(None, description="Recordings of each answer.")
    session_recording: bool | None = Field(None, description="The whole-session recording.")
    group_by_question: bool | None = Field(None, description="Transcript grouped by question.")
    template: Literal["classic", "modern", "one_pager"] | None = Field(
        None, description="Report layout."
    )


class JobMojitoSettings(Strict):
    """JobMojito settings (POST /job-interview-create-from-array)."""

    interview_template_id: NonEmpty | None = Field(
        None, description="Avatar/voice template id (required; may come from defaults)."
    )
    location: NonEmpty = Field("remote", description="Interview location.")
    status: Literal["draft", "active"] = Field("active", description="Lifecycle status.")
    visibility: Literal["merchant_public", "merchant_invite", "merchant_unlisted"] = Field(
        "merchant_invite", description="Who can discover and start the interview."
    )
    type: Literal["interview", "coaching", "assessment"] = Field(
        "interview", description="Product type."
    )
    recording: (
        Literal["audio_first_5_answers", "audio_all", "video_all", "video_first_5_answers"] | None
    ) = Field(None, description="Cheating/proctoring detection mode (not a session recording).")
    recording_full_session: Literal["audio_all", "video_all"] | None = Field(
        None, description="Record the whole session into one file."
    )
    interview_type: (
        Literal[
            "pre-screening",
            "pre-screening-with-test-questions",
            "second-interview",
            "remote-freelancer-verification",
            "strength-based-interview",
            "potential-based-interview",
            "process-verification-from-knowledge-base",
        ]
        | None
    ) = Field(None, description="Interview style for the avatar's own follow-ups.")
    seniority_level: (
        Literal["entry-level", "intermediate", "senior", "managerial", "director", "executive"]
        | None
    ) = None
    result_view: (
        Literal["none", "minimal", "minimal_with_score", "advanced", "full", "full_expand_scores"]
        | None
    ) = Field(None, description="Result screen shown to the candidate.")
    candidate_video_introduction: Literal["optional", "required"] | None = None
    interview_conversation_speed: Literal["slower", "normal", "faster"] | None = None
    interview_tone: str | None = Field(
        None, description="relaxed, simple, professional or persuasive (case-insensitive)."
    )
    interview_attempts: int | None = Field(None, description="Allowed attempts, 1 to 20.")
    questions_random_subset: float | None = Field(
        None, description="Fraction of questions asked at random, 0.01 to 0.9."
    )
    max_followups: int | None = Field(None, ge=0, le=999, description="AI follow-ups, 0 to 999.")
    description_long: str | None = Field(None, description="Markdown position page text.")
    candidate_expectations: str | None = None
    cover_image_url: str | None = None
    interview_department: str | None = None
    interview_salary: str | None = None
    interview_available_till: IsoDateOrTime | None = Field(
        None, description="Last day or moment candidates can take it (ISO 8601 date or date-time)."
    )
    recruiter_profile_id: str | None = None
    knowledge_base_store_id: str | None = None
    tags: list[NonEmpty] | None = None
    hiring_for_company: HiringForCompany | None = None
    required_pronunciation: bool | None = None
    result_enable_edit_transcript: bool | None = None
    welcome_message: str | None = Field(None, description="Changing it forces a new interview.")
    thank_you_message: str | None = Field(None, description="Changing it forces a new interview.")
    instructional_video: bool | None = None
    instructional_video_custom_text: str | None = None
    code: NonEmpty | None = Field(
        None,
        description="Your own reference for the interview, e.g. the ATS requisition id "
        "(interform's ownership marker is kept in tags, not here).",
    )
    merchant_id: RemoteId | None = Field(
        None,
        description="Sub-merchant to create the interview for (administrators and "
        "sub-merchant operators). Changing it forces a new interview.",
    )
    custom_scoring: FreeForm | None = Field(
        None,
        description="Result-scoring overrides (max_score, early_stop, speech_cadence, ...), "
        "merged over JobMojito's defaults; keys removed later keep their value.",
    )
    candidate_expectations_json: JobMojitoRubric | None = Field(
        None,
        description="The scoring rubric. Without it JobMojito generates one from the "
        "questions (type interview).",
    )
    additional_context: FreeForm | None = Field(
        None, description="Context for the rubric JobMojito generates; used at creation only."
    )
    disable_deduplication: bool | None = Field(
        None, description="Do not reuse identical stored questions; used at creation only."
    )
    pdf_export_auto_config: JobMojitoPdfExport | None = Field(
        None, description="Make a candidate PDF report when an interview completes."
    )
    embed: JobMojitoEmbed | None = None
    removal: Literal["deleted", "archived"] = Field(
        "deleted", description="State set when interform removes the interview."
    )
