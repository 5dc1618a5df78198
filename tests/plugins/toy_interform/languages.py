"""The toy's spelling of languages."""

from typing import Final

LANGUAGES: Final[dict[str, str]] = {"en": "english", "de": "german"}
SOURCE: Final = "the toy's own list"
