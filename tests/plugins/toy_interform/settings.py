"""The `toy:` section of a definition."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from interform.model.fields import Strict


class ToySettings(Strict):
    """Toy settings."""

    greeting: str = Field("hello", description="What the toy says first.")
    mood: Literal["calm", "keen"] = "calm"
