"""JobMojito's spelling of each language interform knows (`interform.model.languages`):
the `mojito_language_code` enum (its platform-languages codes: `br` is
Brazilian Portuguese, `fil` Filipino)."""

from __future__ import annotations

from typing import Final

# interform's code -> what JobMojito takes
LANGUAGES: Final[dict[str, str]] = {
    "ar": "ar", "bg": "bg", "zh": "zh", "hr": "hr", "cs": "cs", "da": "da", "nl": "nl",
    "en": "en", "tl": "fil", "fi": "fi", "fr": "fr", "de": "de", "el": "el", "hi": "hi",
    "hu": "hu", "id": "id", "it": "it", "ja": "ja", "ko": "ko", "ms": "ms", "no": "no",
    "pl": "pl", "pt": "pt", "pt-BR": "br", "ro": "ro", "ru": "ru", "sk": "sk", "es": "es",
    "sv": "sv", "ta": "ta", "th": "th", "tr": "tr", "uk": "uk", "vi": "vi",
}  # fmt: skip

# where the table comes from, for the docs
SOURCE: Final = "the `mojito_language_code` enum (JobMojito's platform languages)"

# JobMojito languages whose speech locale has pronunciation assessment (see above)
PRONUNCIATION: Final = frozenset(
    {"ar", "zh", "da", "nl", "en", "fi", "fr", "de", "hi", "it", "ja", "ko", "ms", "no"}
    | {"pl", "pt", "pt-BR", "ru", "es", "sv", "ta", "th", "vi"}
)

# an extra column of the docs' language table: heading, the codes marked yes, a note
COLUMN: Final = (
    "pronunciation scored",
    PRONUNCIATION,
    "`required_pronunciation: true` needs a language with pronunciation scoring. "
    "JobMojito does not list them; these are the languages whose speech locale "
    "Azure's pronunciation assessment supports (an inference), and `interform "
    "validate` refuses the others.",
)
