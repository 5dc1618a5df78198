"""The interview definition users write: a portable core plus one section per platform.

These pydantic models are the single source of truth for the definition format:
`schemas/interview.schema.json` is generated from them, and the CLI validates with them.
Platform sections use the platforms' documented field names in snake_case.
Rules that need more than one field (limits stated only in prose, XOR rules, references
between questions) live in `interform.config.rules`, not here.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from interform.model.remote_id import RemoteId

_DURATION_RE = re.compile(r"^(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$")


def parse_duration(value: Any) -> Any:
    """`90`, `"90s"`, `"2m"` and `"1m30s"` all mean a number of seconds."""
    if isinstance(value, str):
        m = _DURATION_RE.match(value)
        if not m or not (m["m"] or m["s"]):
            raise ValueError("must be seconds (90) or a duration such as 90s, 2m or 1m30s")
        return int(m["m"] or 0) * 60 + int(m["s"] or 0)
    return value


Seconds = Annotated[
    int,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                # the look-ahead refuses 0s and 0m0s, which parse to 0 (below the minimum)
                {"type": "string", "pattern": r"^(?=.*[1-9])(\d+m)?(\d+s)?$", "minLength": 2},
            ],
            "description": "Seconds (90) or a duration such as 90s, 2m or 1m30s.",
        }
    ),
    Field(ge=1),
]

# Dates and times: the YAML loader gives date/datetime objects for unquoted ISO values;
# quoted ones are strings. Both are accepted, nothing else (pydantic alone would also take
# Unix timestamps), so the published JSON Schema and the CLI agree.
_DATE = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?"
_DATE_RE = re.compile(rf"^{_DATE}$")
_ZONE = r"([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)"
_DATETIME_RE = re.compile(rf"^{_DATE}[Tt ]{_TIME}{_ZONE}?$")
_DATE_OR_TIME_RE = re.compile(rf"^{_DATE}([Tt ]{_TIME}{_ZONE}?)?$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, datetime) or not isinstance(value, (date, str)):
        raise ValueError("must be a date such as 2026-11-16")
    if isinstance(value, str) and not _DATE_RE.match(value):
        raise ValueError("must be a date such as 2026-11-16")
    return value


def _iso_datetime(value: Any) -> Any:
    ok = isinstance(value, datetime) or (isinstance(value, str) and _DATETIME_RE.match(value))
    if not ok:
        raise ValueError("must be a date and time such as 2026-05-04T09:30:00+02:00")
    return value


IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _DATE_RE.pattern}),
    Field(strict=False),
]
IsoDateTime = Annotated[
    datetime,
    BeforeValidator(_iso_datetime),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": _DATETIME_RE.pattern}),
    Field(strict=False),
]


_DATE_OR_TIME = "must be a date such as 2026-12-31 or a date and time such as 2026-12-31T18:00:00Z"


def _iso_date_or_time(value: Any) -> Any:
    """A real date or date-time, kept as text (platforms that take "ISO date/time"
    strings get it as written; an unquoted YAML value is spelled back in ISO 8601)."""
    if isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not _DATE_OR_TIME_RE.match(value):
        raise ValueError(_DATE_OR_TIME)
    try:
        date.fromisoformat(value[:10])  # the pattern lets 2026-02-30 through
    except ValueError:
        raise ValueError(f"{_DATE_OR_TIME} (there is no {value[:10]})") from None
    return value


IsoDateOrTime = Annotated[
    str,
    BeforeValidator(_iso_date_or_time),
    WithJsonSchema({"type": "string", "pattern": _DATE_OR_TIME_RE.pattern}),
]


def _json_values(value: Any) -> Any:
    """Free-form data travels as JSON: an unquoted YAML date inside it becomes its ISO
    text, so a definition is the same whether it was parsed or read from the cache."""
    if isinstance(value, dict):
        return {k: _json_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_values(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


FreeForm = Annotated[dict[str, Any], BeforeValidator(_json_values)]

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
# a question's id doubles as an ATS reference (`ATS-Q1`, `req/4711.2`): any case, and the
# punctuation such references use, but no spaces or control characters (it is printed in
# plans and sent as JobMojito's external_id)
QuestionId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$", max_length=128)]
NonEmpty = Annotated[str, Field(min_length=1)]
Uuid = Annotated[
    str,
    Field(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
]


class Strict(BaseModel):
    """Unknown keys are errors (the loader adds a did-you-mean). Strict types: `"5"` is not
    an integer and `"yes"` is not a boolean, exactly as in the published JSON Schema."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


# --------------------------------------------------------------------------- core


class JobMojitoRubric(BaseModel):
    """A JobMojito scoring rubric by requirement level; other keys are kept as written."""

    model_config = ConfigDict(extra="allow", frozen=True, strict=True, defer_build=True)

    weak: list[NonEmpty] | None = Field(
        None, description="Baseline requirements every viable candidate meets."
    )
    moderate: list[NonEmpty] | None = Field(None, description="What a solid candidate shows.")
    strong: list[NonEmpty] | None = Field(None, description="What only standout candidates show.")

    @model_validator(mode="before")
    @classmethod
    def _as_json(cls, value: Any) -> Any:
        return _json_values(value)


class JobMojitoQuestion(Strict):
    """JobMojito-only options of one question."""

    label: str | None = Field(None, description="Label/tag stored on the question.")
    is_without_scoring: bool | None = Field(None, description="Asked but not scored.")
    is_candidate_asking_recruiter: bool | None = Field(
        None, description="A prompt for the candidate to ask the recruiter questions."
    )
    is_expert: bool | None = Field(None, description="Expert listening question.")
    is_multiple_choice: bool | None = Field(None, description="Multiple-choice question.")
    question_alternatives: list[NonEmpty] | None = Field(
        None, description="Other phrasings the avatar may use."
    )
    knowledge_base_id: Uuid | None = Field(
        None, description="Knowledge-base store the question draws context from."
    )
    mojito_language_code: str | None = Field(
        None,
        description="Language of this question when it differs from the interview's "
        "(a language code, as for language:).",
    )
    external_data: FreeForm | None = Field(
        None, description="Arbitrary JSON kept with the question (e.g. ATS data)."
    )
    candidate_expectations_json: JobMojitoRubric | None = Field(
        None, description="Scoring rubric of this question."
    )


class Question(Strict):
    """One interview question."""

    id: QuestionId | None = Field(
        None,
        description=(
            "Stable identifier, e.g. incident or an ATS reference such as ATS-Q1 (letters, "
            "digits, . _ : / -). Keeps the question's identity when its text changes "
            "(JobMojito external_id) and lets follow-ups refer to it."
        ),
    )
    text: NonEmpty = Field(description="The question as asked to the candidate.")
    answer_time: Seconds | None = Field(
        None, description="Time the candidate has to answer (micro1: 1 to 4 minutes)."
    )
    answer_type: Literal["audio", "text"] = Field(
        "audio", description="How the candidate answers (micro1)."
    )
    follow_up_to: QuestionId | None = Field(
        None,
        description=(
            "Makes this a conditional follow-up of the question with this id "
            "(JobMojito only); the parent must come earlier in the list."
        ),
    )
    jobmojito: JobMojitoQuestion | None = None


class Skill(Strict):
    """A skill the interview assesses (micro1 skills; Instaview inline job skills)."""

    name: NonEmpty
    description: str | None = None


# --------------------------------------------------------------------------- micro1

CodingLanguage = Literal[
    "user_choice",
    "javascript",
    "cpp",
    "c",
    "csharp",
    "go",
    "java",
    "kotlin",
    "php",
    "python",
    "ruby",
    "rust",
    "swift",
    "typescript",
]


class Micro1Settings(Strict):
    """micro1 settings (POST /interview). Defaults are micro1's documented defaults."""

    can_change_interview_language: bool = Field(
        False, description="Whether the candidate may switch the interview language."
    )
    only_coding_round: bool = Field(False, description="The interview is a coding round only.")
    is_coding_round_required: bool = Field(False, description="Add a required coding round.")
    selected_coding_language: CodingLanguage = Field(
        "user_choice", description="Language of the coding round."
    )
    coding_exercise_details: str | None = Field(
        None,
        description="Extra direction for the coding exercise (no outside libraries allowed).",
    )
    is_proctoring_required: bool = Field(True, description="Proctor the interview.")


# --------------------------------------------------------------------------- JobMojito


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


# --------------------------------------------------------------------------- Instaview


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
    from interform.model.remote_id import remote_id_problem

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


# --------------------------------------------------------------------------- Versive


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


# --------------------------------------------------------------------------- definition


# a path into a definition, as interform prints them: `instaview.job.description`,
# `questions[2].text`
IGNORE_PATH = r"^[a-z][a-z0-9_]*(\[[0-9]+\]|\.[A-Za-z][A-Za-z0-9_]*)*$"


def parse_path(text: str) -> tuple[str | int, ...]:
    """("instaview", "job", "description") for `instaview.job.description`; list indexes
    (`questions[2]`) as ints."""
    return tuple(
        int(part[1:-1]) if part.startswith("[") else part
        for part in re.findall(r"\[[0-9]+\]|[^.\[\]]+", text)
    )


class Definition(Strict):
    """One AI interview, deployed to one or more targets named in interform.yaml."""

    title: NonEmpty = Field(description="Interview name shown on every platform.")
    description: str | None = None
    language: str = Field(
        "en",
        description="Language code (BCP 47, any case), e.g. en, de, pt-BR, es-419. A variant "
        "a platform lacks runs in its base language; the plan says so.",
    )
    targets: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]] = Field(
        default_factory=list, description="Targets (from interform.yaml) this deploys to."
    )
    protect: bool = Field(
        False, description="Refuse to delete or replace it until protect is removed."
    )
    moved_from: str | None = Field(
        None, description="Previous address of this definition, to plan a move."
    )
    ignore_changes: list[NonEmpty] = Field(
        default_factory=list,
        description="Settings a platform or a person may change that interform must not "
        "revert, as paths into this file (`instaview.instructions`, `questions`, "
        "`instaview.job.description`). They are sent when the object is created (or replaced); "
        "afterwards the plan lists differences in them as ignored and never updates them.",
    )
    questions: list[Question] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    micro1: Micro1Settings | None = None
    jobmojito: JobMojitoSettings | None = None
    instaview: InstaviewSettings | None = None
    versive: VersiveSettings | None = None


SECTIONS = ("micro1", "jobmojito", "instaview", "versive")


def section(defn: Definition, provider: str) -> Any:
    """The provider's section, or its all-defaults value when the file has none."""
    value = getattr(defn, provider)
    if value is not None:
        return value
    return _DEFAULT_SECTIONS[provider]()


def section_models() -> dict[str, type[BaseModel]]:
    """Each platform section's model, by section name."""
    return dict(_DEFAULT_SECTIONS)


_DEFAULT_SECTIONS: dict[str, type[BaseModel]] = {
    "micro1": Micro1Settings,
    "jobmojito": JobMojitoSettings,
    "instaview": InstaviewSettings,
    "versive": VersiveSettings,
}
