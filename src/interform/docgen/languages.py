"""A platform's language table, from the table the renderers send from (its
`languages` module), so the docs list exactly what a definition can reach."""

from __future__ import annotations

import importlib

from interform import platforms
from interform.model import languages


def language_table(platform: str) -> str:
    """The `language:` values a platform takes, what is sent for each, and how variants
    it lacks are handled; plus the column its `languages` module may add (`COLUMN`)."""
    module = importlib.import_module(platforms.get(platform).languages)
    column: tuple[str, frozenset[str], str] | None = getattr(module, "COLUMN", None)
    head = "| `language:` | sent as | language |" + (f" {column[0]} |" if column else "")
    lines = [head, "|---|---|---|" + ("---|" if column else "")]
    for code, value in sorted(languages.table(platform).items()):
        row = f"| `{code}` | `{value}` | {languages.name_of(code)} |"
        if column:
            row += " yes |" if code in column[1] else " no |"
        lines.append(row)
    lines += [
        "",
        f"Source: {module.SOURCE}. Codes are matched in any case (`EN`, `pt-br`). A "
        "variant this platform does not list (`en-US`, `es-419`) runs in its base language "
        "when the platform has that, and the plan says so in a note; a language missing "
        "here altogether is refused by `interform validate`.",
    ]
    if column:
        lines += ["", column[2]]
    return "\n".join(lines)
