"""One language vocabulary for users, mapped to each platform's own codes.

Users write BCP 47-style codes (`en`, `pt-BR`, `ko`). Each platform spells languages its
own way: micro1 has legacy country-ish codes (`kr`, `dk`, `cz`, `ua`, `cn`, `es-la`),
JobMojito uses its platform-languages codes (`br` for Brazilian Portuguese, `fil`),
Instaview upper-case ISO 639-1 codes (`EN`, `SK`), Versive English language names.
A code missing from a platform's column is not supported there.

Sources: micro1's `interview_language` enum (create/update request schemas), JobMojito's
`mojito_language_code` enum, Instaview's examples (EN and SK are documented; the other
Instaview codes follow the same upper-case ISO 639-1 form and are an inference), and
Versive's `language` field (default "English").
"""

from __future__ import annotations

import difflib
from typing import Final

PLATFORMS: Final = ("micro1", "jobmojito", "instaview", "versive")

# code: (English name, micro1, jobmojito, instaview, versive)
_TABLE: Final[dict[str, tuple[str, str | None, str | None, str | None, str | None]]] = {
    "en": ("English", "en", "en", "EN", "English"),
    "en-GB": ("English (United Kingdom)", "en-GB", None, None, None),
    "fr": ("French", "fr", "fr", "FR", "French"),
    "de": ("German", "de", "de", "DE", "German"),
    "he": ("Hebrew", "he", None, None, "Hebrew"),
    "hi": ("Hindi", "hi", "hi", None, "Hindi"),
    "pt": ("Portuguese", "pt", "pt", "PT", "Portuguese"),
    "pt-BR": ("Portuguese (Brazil)", "pt-BR", "br", None, None),
    "pt-PT": ("Portuguese (Portugal)", "pt-PT", None, None, None),
    "es": ("Spanish", "es", "es", "ES", "Spanish"),
    "es-419": ("Spanish (Latin America)", "es-la", None, None, None),
    "es-MX": ("Spanish (Mexico)", "es-MX", None, None, None),
    "tr": ("Turkish", "tr", "tr", None, "Turkish"),
    "ja": ("Japanese", "ja", "ja", None, "Japanese"),
    "sv": ("Swedish", "sv", "sv", None, "Swedish"),
    "ar": ("Arabic", "ar", "ar", None, "Arabic"),
    "afb": ("Gulf Arabic", "afb", None, None, None),
    "pl": ("Polish", "pl", "pl", "PL", "Polish"),
    "da": ("Danish", "dk", "da", None, "Danish"),
    "ko": ("Korean", "kr", "ko", None, "Korean"),
    "it": ("Italian", "it", "it", "IT", "Italian"),
    "nl": ("Dutch", "nl", "nl", "NL", "Dutch"),
    "cs": ("Czech", "cz", "cs", "CS", "Czech"),
    "uk": ("Ukrainian", "ua", "uk", "UK", "Ukrainian"),
    "ur": ("Urdu", "ur", None, None, None),
    "id": ("Indonesian", "id", "id", None, "Indonesian"),
    "zh": ("Chinese (Simplified)", "cn", "zh", None, "Chinese"),
    "zh-TW": ("Chinese (Taiwan)", "zh-TW", None, None, None),
    "zh-HK": ("Chinese (Hong Kong)", "zh-HK", None, None, None),
    "ru": ("Russian", "ru", "ru", None, "Russian"),
    "bn": ("Bengali", "bn", None, None, None),
    "ms": ("Malay", "ms", "ms", None, "Malay"),
    "vi": ("Vietnamese", "vi", "vi", None, "Vietnamese"),
    "tl": ("Tagalog (Filipino)", "tl", "fil", None, None),
    "th": ("Thai", "th", "th", None, "Thai"),
    "bg": ("Bulgarian", None, "bg", None, "Bulgarian"),
    "hr": ("Croatian", None, "hr", None, "Croatian"),
    "fi": ("Finnish", None, "fi", None, "Finnish"),
    "el": ("Greek", None, "el", None, "Greek"),
    "hu": ("Hungarian", None, "hu", "HU", "Hungarian"),
    "no": ("Norwegian", None, "no", None, "Norwegian"),
    "ro": ("Romanian", None, "ro", "RO", "Romanian"),
    "sk": ("Slovak", None, "sk", "SK", "Slovak"),
    "ta": ("Tamil", None, "ta", None, "Tamil"),
}

_COLUMN: Final = {name: i + 1 for i, name in enumerate(PLATFORMS)}

CODES: Final[tuple[str, ...]] = tuple(_TABLE)


def name_of(code: str) -> str:
    return _TABLE[code][0]


def is_known(code: str) -> bool:
    return code in _TABLE


def to_platform(code: str, platform: str) -> str | None:
    """The platform's spelling of `code`, or None when the platform does not support it."""
    row = _TABLE.get(code)
    return None if row is None else row[_COLUMN[platform]]


def from_platform(value: str, platform: str) -> str | None:
    """The user code for a platform spelling; also accepts English names (micro1 reads
    return "English" where writes take "en")."""
    col = _COLUMN[platform]
    for code, row in _TABLE.items():
        if row[col] == value or (row[col] is not None and row[0] == value):
            return code
    return None


def supported(platform: str) -> list[str]:
    col = _COLUMN[platform]
    return [code for code, row in _TABLE.items() if row[col] is not None]


def nearest(code: str, platform: str | None = None, n: int = 3) -> list[str]:
    """Closest supported codes: same base language first, then spelling neighbours."""
    pool = supported(platform) if platform else list(_TABLE)
    base = code.split("-")[0].lower()
    same_base = [c for c in pool if c.split("-")[0].lower() == base and c != code]
    close = difflib.get_close_matches(code, pool, n=n, cutoff=0.3)
    out: list[str] = []
    for c in [*same_base, *close]:
        if c not in out:
            out.append(c)
    return out[:n]
