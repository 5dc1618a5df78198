"""micro1's definition section (`micro1:`): the settings of `POST /interview`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from interform.model.fields import (
    Strict,
)

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
