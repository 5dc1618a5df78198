"""The interview definition users write: a portable core plus one section per platform.

These pydantic models are the single source of truth for the definition format:
`schemas/interview.schema.json` is generated from them, and the CLI validates with them.
Platform sections use the platforms' documented field names in snake_case.
Rules that need more than one field (limits stated only in prose, XOR rules, references
between questions) live in `interform.config.rules`, not here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from interform import platforms
from interform.model.fields import (
    FreeForm,
    NonEmpty,
    QuestionId,
    Seconds,
    Strict,
    Uuid,
    json_values,
)

# --------------------------------------------------------------------------- core


# here rather than in JobMojito's package: a question's `jobmojito:` section (below) uses
# it as well as the interview's (`interform.providers.jobmojito.settings` imports it)
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
        return json_values(value)


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


class DefinitionCore(Strict):
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

    if TYPE_CHECKING:
        # each platform's section (`defn.micro1`) is a field added from the registry
        # (`Definition` below), so the type checker cannot know it: it is Any here
        def __getattr__(self, name: str) -> Any: ...


@cache
def section_models() -> dict[str, type[BaseModel]]:
    """Each platform's section model, by section name (the platform's name)."""
    return {name: platforms.load(p.settings) for name, p in platforms.registry().items()}


def _with_sections() -> type[DefinitionCore]:
    """The definition model: the core fields, then one optional section per platform
    in the registry's order (so the published schema lists them in that order)."""
    sections: dict[str, Any] = {
        name: (model | None, None) for name, model in section_models().items()
    }
    return create_model(
        "Definition",
        __base__=DefinitionCore,
        __module__=__name__,
        __doc__=DefinitionCore.__doc__,
        **sections,
    )


if TYPE_CHECKING:
    Definition = DefinitionCore
else:
    Definition = _with_sections()


def section(defn: DefinitionCore, provider: str) -> Any:
    """The provider's section, or its all-defaults value when the file has none."""
    value = getattr(defn, provider)
    if value is not None:
        return value
    return section_models()[provider]()
