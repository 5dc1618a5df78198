"""micro1's spelling of each language interform knows (`interform.model.languages`):
the `interview_language` enum of its create and update request schemas, with
its legacy country-ish codes (`kr`, `dk`, `cz`, `ua`, `cn`, `es-la`)."""

from __future__ import annotations

from typing import Final

# interform's code -> what micro1 takes
LANGUAGES: Final[dict[str, str]] = {
    "en": "en", "fr": "fr", "de": "de", "he": "he", "hi": "hi", "pt": "pt", "es": "es",
    "es-419": "es-la", "tr": "tr", "ja": "ja", "sv": "sv", "ar": "ar", "pl": "pl",
    "da": "dk", "ko": "kr", "it": "it", "nl": "nl", "cs": "cz", "uk": "ua", "ur": "ur",
    "id": "id", "en-GB": "en-GB", "es-MX": "es-MX", "zh": "cn", "zh-CN": "zh-CN",
    "zh-TW": "zh-TW", "zh-HK": "zh-HK", "ru": "ru", "bn": "bn", "ms": "ms",
    "pt-BR": "pt-BR", "vi": "vi", "tl": "tl", "th": "th", "afb": "afb", "pt-PT": "pt-PT",
}  # fmt: skip

# where the table comes from, for the docs
SOURCE: Final = "the `interview_language` enum of micro1's create and update requests"
