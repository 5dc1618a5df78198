"""Versive's spelling of each language interform knows (`interform.model.languages`):
`language` is free text (default "English"); interform sends English names."""

from __future__ import annotations

from typing import Final

# interform's code -> what Versive takes
LANGUAGES: Final[dict[str, str]] = {
    "en": "English", "fr": "French", "de": "German", "he": "Hebrew", "hi": "Hindi",
    "pt": "Portuguese", "es": "Spanish", "tr": "Turkish", "ja": "Japanese",
    "sv": "Swedish", "ar": "Arabic", "pl": "Polish", "da": "Danish", "ko": "Korean",
    "it": "Italian", "nl": "Dutch", "cs": "Czech", "uk": "Ukrainian", "id": "Indonesian",
    "zh": "Chinese", "ru": "Russian", "ms": "Malay", "vi": "Vietnamese", "th": "Thai",
    "bg": "Bulgarian", "hr": "Croatian", "fi": "Finnish", "el": "Greek",
    "hu": "Hungarian", "no": "Norwegian", "ro": "Romanian", "sk": "Slovak", "ta": "Tamil",
}  # fmt: skip

# where the table comes from, for the docs
SOURCE: Final = (
    "Versive's `language` is free text (default `English`); interform sends English names"
)
