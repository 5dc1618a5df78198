"""A platform's language table, from the table the renderers send from
(`interform.model.languages`), so the docs list exactly what a definition can reach."""

from __future__ import annotations

from interform.model import languages

SOURCES = {
    "micro1": "the `interview_language` enum of micro1's create and update requests",
    "jobmojito": "the `mojito_language_code` enum (JobMojito's platform languages)",
    "instaview": "Instaview documents `EN` and `SK`; the other upper-case ISO 639-1 codes "
    "are an inference",
    "versive": "Versive's `language` is free text (default `English`); interform sends "
    "English names",
}


def language_table(platform: str) -> str:
    """The `language:` values a platform takes, what is sent for each, and how variants
    it lacks are handled."""
    pronunciation = platform == "jobmojito"
    head = "| `language:` | sent as | language |" + (
        " pronunciation scored |" if pronunciation else ""
    )
    lines = [head, "|---|---|---|" + ("---|" if pronunciation else "")]
    for code, value in sorted(languages.TABLES[platform].items()):
        row = f"| `{code}` | `{value}` | {languages.name_of(code)} |"
        if pronunciation:
            row += " yes |" if code in languages.JOBMOJITO_PRONUNCIATION else " no |"
        lines.append(row)
    lines += [
        "",
        f"Source: {SOURCES[platform]}. Codes are matched in any case (`EN`, `pt-br`). A "
        "variant this platform does not list (`en-US`, `es-419`) runs in its base language "
        "when the platform has that, and the plan says so in a note; a language missing "
        "here altogether is refused by `interform validate`.",
    ]
    if pronunciation:
        lines += [
            "",
            "`required_pronunciation: true` needs a language with pronunciation scoring. "
            "JobMojito does not list them; these are the languages whose speech locale "
            "Azure's pronunciation assessment supports (an inference), and `interform "
            "validate` refuses the others.",
        ]
    return "\n".join(lines)
