"""Instaview's spelling of each language interform knows (`interform.model.languages`):
upper-case ISO 639-1 codes. Only `EN` and `SK` appear in its documentation;
the others follow the same form and are an inference."""

from __future__ import annotations

from typing import Final

# interform's code -> what Instaview takes
LANGUAGES: Final[dict[str, str]] = {
    "en": "EN", "fr": "FR", "de": "DE", "pt": "PT", "es": "ES", "pl": "PL", "it": "IT",
    "nl": "NL", "cs": "CS", "uk": "UK", "hu": "HU", "ro": "RO", "sk": "SK",
}  # fmt: skip

# where the table comes from, for the docs
SOURCE: Final = (
    "Instaview documents `EN` and `SK`; the other upper-case ISO 639-1 codes are an inference"
)
