"""Telling the name of an environment variable from the secret it should hold:
interform.yaml names variables (`credential_env`, a webhook's `secret_env`) and must not
hold the secrets themselves."""

from __future__ import annotations

import re
from typing import Final

_VARIABLE: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def looks_like_secret(value: str) -> bool:
    """Variable names are identifiers made of short words (MICRO1_API_KEY). Keys and
    tokens hold characters no identifier has (-, ., /, +, =), long runs mixing letters
    and digits, or mixed case with digits."""
    if not _VARIABLE.match(value):
        return True
    for word in value.split("_"):
        if len(word) >= 12 and any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            return True
    if value.isupper():
        return False
    upper = any(c.isupper() for c in value)
    lower = any(c.islower() for c in value)
    digit = any(c.isdigit() for c in value)
    return (upper and lower and digit) or (len(value) >= 20 and "_" not in value)
