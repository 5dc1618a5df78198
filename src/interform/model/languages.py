"""One language vocabulary for users, mapped to each platform's own codes.

Users write BCP 47 tags (`en`, `pt-BR`, `es-419`, `zh-TW`) in any case and with `-` or
`_` (`EN`, `pt-br`, `en_US` all work). A tag whose base language interform knows is
valid even when no platform has the variant (`en-US`, `fr-CA`): on a platform without
the exact variant the interview runs in the base language, and the plan says so
(`fallback_note`). A language a platform has neither as written nor as its base is not
supported there (`interform validate` says so at the `language:` line).

Each platform spells languages its own way: its table is `LANGUAGES` in
`interform/providers/<platform>/languages.py` (the platform's whole documented
vocabulary), found through the platform registry.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

from interform import platforms

# interform's codes (canonical BCP 47 spelling) and their English names
NAMES: Final[dict[str, str]] = {
    "afb": "Gulf Arabic",
    "ar": "Arabic",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "en-GB": "English (United Kingdom)",
    "es": "Spanish",
    "es-419": "Spanish (Latin America)",
    "es-MX": "Spanish (Mexico)",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "ms": "Malay",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "pt-BR": "Portuguese (Brazil)",
    "pt-PT": "Portuguese (Portugal)",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sv": "Swedish",
    "ta": "Tamil",
    "th": "Thai",
    "tl": "Tagalog (Filipino)",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "zh": "Chinese (Simplified)",
    "zh-CN": "Chinese (China)",
    "zh-HK": "Chinese (Hong Kong)",
    "zh-TW": "Chinese (Taiwan)",
}

# other spellings of a base language users may write
ALIASES: Final[dict[str, str]] = {"fil": "tl", "nb": "no"}

# ---------------------------------------------------------------------------- platforms


@cache
def table(platform: str) -> dict[str, str]:
    """A platform's spelling of each code it takes (its `languages` module's table)."""
    found: dict[str, str] = platforms.load(platforms.get(platform).languages + ":LANGUAGES")
    return found


CODES: Final[tuple[str, ...]] = tuple(NAMES)

# language[-Script][-REGION], the parts of a BCP 47 tag interform understands
_TAG: Final = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$")


# ---------------------------------------------------------------------------- user codes


@lru_cache(maxsize=4096)  # asked for every definition by rules and rendering alike
def canonical(code: str) -> str:
    """`code` spelled as BCP 47 writes it: `EN` → `en`, `pt-br` → `pt-BR`, `zh_hant` →
    `zh-Hant`, `es-419`; a known alias of the base (`fil` → `tl`) is replaced."""
    parts = [p for p in re.split(r"[-_]", code.strip()) if p]
    if not parts:
        return code
    spelled = [ALIASES.get(parts[0].lower(), parts[0].lower())]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            spelled.append(part.title())
        elif len(part) == 2 or part.isdigit():
            spelled.append(part.upper())
        else:
            spelled.append(part.lower())
    return "-".join(spelled)


def base_of(code: str) -> str:
    return canonical(code).split("-")[0]


def is_known(code: str) -> bool:
    """A language interform knows, or a well-formed variant of one (`en-US`, `fr-CA`)."""
    tag = canonical(code)
    return tag in NAMES or (bool(_TAG.match(tag)) and base_of(tag) in NAMES)


def name_of(code: str) -> str:
    """English name: `English (United Kingdom)`; for a variant interform has no name
    for, the base language's name and the tag: `English (en-US)`."""
    tag = canonical(code)
    if tag in NAMES:
        return NAMES[tag]
    base = NAMES.get(base_of(tag))
    return f"{base} ({tag})" if base else tag


# ---------------------------------------------------------------------------- platforms


@dataclass(frozen=True)
class Choice:
    """The language a platform will run an interview in."""

    code: str  # interform's code of it (the base language when `fallback`)
    value: str  # the platform's spelling
    fallback: bool  # the platform lacks the variant asked for


@lru_cache(maxsize=4096)  # a pure function of two names, asked for every definition
def for_platform(code: str, platform: str) -> Choice | None:
    """The platform's spelling of `code`: the exact variant when the platform has it,
    else its base language; None when the platform has neither."""
    spelled_as = table(platform)
    tag = canonical(code)
    if tag in spelled_as:
        return Choice(tag, spelled_as[tag], fallback=False)
    base = base_of(tag)
    if is_known(tag) and base in spelled_as:
        return Choice(base, spelled_as[base], fallback=True)
    return None


def to_platform(code: str, platform: str) -> str | None:
    """The platform's spelling of `code`, or None when the platform does not support it."""
    choice = for_platform(code, platform)
    return None if choice is None else choice.value


def fallback_note(code: str, platform: str) -> str | None:
    """What the plan says when a platform lacks the variant written."""
    choice = for_platform(code, platform)
    if choice is None or not choice.fallback:
        return None
    where = platforms.display(platform)
    return (
        f"language {canonical(code)}: {where} has no {name_of(code)}; "
        f"the interview runs in {name_of(choice.code)} ({choice.code})"
    )


def from_platform(value: str, platform: str) -> str | None:
    """The user code for a platform spelling, matched without regard to case; also
    accepts English names (micro1 reads return "English" where writes take "en")."""
    found = codes_for(value, platform)
    return found[0] if found else None


def codes_for(value: str, platform: str) -> list[str]:
    """Every user code a platform's spelling or English name may stand for, in table
    order (micro1 names `cn` and `zh-CN` alike)."""
    wanted = value.strip().lower()
    spelled_as = table(platform)
    by_code = [code for code, spelled in spelled_as.items() if spelled.lower() == wanted]
    by_name = [code for code in spelled_as if NAMES[code].lower() == wanted]
    return by_code or by_name


def supported(platform: str) -> list[str]:
    return list(table(platform))


def nearest(code: str, platform: str | None = None, n: int = 3) -> list[str]:
    """Closest supported codes: same base language first, then spelling neighbours."""
    pool = supported(platform) if platform else list(NAMES)
    tag = canonical(code)
    base = base_of(tag)
    same_base = [c for c in pool if base_of(c) == base and c != tag]
    close = difflib.get_close_matches(tag, pool, n=n, cutoff=0.3)
    out: list[str] = []
    for c in [*same_base, *close]:
        if c not in out:
            out.append(c)
    return out[:n]
