"""A problem found in parsed data, before it has a line and column: a YAML path, what is
wrong and how to fix it. `positions.py` turns it into an `errors.Problem`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Issue:
    path: YamlPath
    message: str
    fix: str = ""
    at_key: bool = False  # point at the key (unknown keys) rather than at its value


def dotted(path: YamlPath) -> str:
    """`questions[2].answer_type` for ("questions", 2, "answer_type")."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest choice when it is close enough to be a likely typo."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def suggest(word: str, choices: Iterable[str], kind: str = "one of") -> str:
    """`did you mean "x"?`, or the list of choices when none is close."""
    pool = sorted(set(choices))
    close = did_you_mean(word, pool)
    if close is not None:
        return f'did you mean "{close}"?'
    return f"{kind}: {', '.join(pool)}" if pool else ""


def show(value: object, limit: int = 40) -> str:
    """A value as the user wrote it in YAML, shortened."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 1] + "…"
        return '"' + text.replace("\n", "\\n") + '"'
    return str(value)
