"""Languages: any case, `-` or `_`, variants that fall back to their base language where
a platform lacks them (with a note in the plan), and every code a platform documents
reachable from the definition's `language`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interform.model import languages
from interform.providers import schemas
from interform.providers.jobmojito import languages as jobmojito_languages
from project_files import run, write_project


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("EN", "en"),
        ("pt-br", "pt-BR"),
        ("PT_br", "pt-BR"),
        ("en-us", "en-US"),
        ("ES-419", "es-419"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("fil", "tl"),
        ("NB", "no"),
    ],
)
def test_codes_are_spelled_as_bcp_47_writes_them(written: str, canonical: str) -> None:
    assert languages.canonical(written) == canonical
    assert languages.is_known(written)


@pytest.mark.parametrize("code", ["english", "xx", "xx-GB", "en-GBR-x", "", "-"])
def test_what_is_not_a_known_language(code: str) -> None:
    assert not languages.is_known(code)


@pytest.mark.parametrize(
    ("code", "platform", "value", "fallback"),
    [
        ("zh-CN", "micro1", "zh-CN", False),  # the exact variant where the platform has it
        ("zh", "micro1", "cn", False),
        ("es-419", "micro1", "es-la", False),
        ("en-GB", "micro1", "en-GB", False),
        ("en-US", "micro1", "en", True),
        ("pt-BR", "jobmojito", "br", False),
        ("en-GB", "jobmojito", "en", True),
        ("es-419", "jobmojito", "es", True),
        ("fil", "jobmojito", "fil", False),
        ("pt-BR", "instaview", "PT", True),
        ("sk", "instaview", "SK", False),
        ("en-GB", "versive", "English", True),
    ],
)
def test_exact_variant_else_the_base_language(
    code: str, platform: str, value: str, fallback: bool
) -> None:
    choice = languages.for_platform(code, platform)
    assert choice is not None
    assert (choice.value, choice.fallback) == (value, fallback)
    assert (languages.fallback_note(code, platform) is not None) == fallback


def test_a_language_a_platform_lacks_entirely_is_not_a_fallback() -> None:
    assert languages.for_platform("he", "jobmojito") is None
    assert languages.for_platform("he-IL", "instaview") is None
    assert languages.fallback_note("he", "jobmojito") is None


def test_the_note_names_both_languages() -> None:
    assert languages.fallback_note("en-gb", "jobmojito") == (
        "language en-GB: JobMojito has no English (United Kingdom); the interview runs in "
        "English (en)"
    )


@pytest.mark.parametrize(
    ("platform", "schema", "field"),
    [
        ("micro1", "micro1.interview.create.request", "interview_language"),
        ("micro1", "micro1.interview.update.request", "interview_language"),
        ("jobmojito", "jobmojito.interview.create.request", "mojito_language_code"),
    ],
)
def test_every_documented_code_is_reachable(platform: str, schema: str, field: str) -> None:
    """Each value of the platform's language enum is what some `language:` sends, and
    reads back as that same language."""
    documented = schemas.load(schema)["properties"][field]["enum"]
    exact = [(code, languages.for_platform(code, platform)) for code in languages.CODES]
    reachable = {c.value: code for code, c in exact if c is not None and not c.fallback}
    assert set(documented) <= set(reachable), set(documented) - set(reachable)
    assert set(languages.table(platform).values()) == set(documented)
    for value in documented:
        assert languages.from_platform(value, platform) == reachable[value]


def test_reads_are_matched_without_regard_to_case_and_by_english_name() -> None:
    assert languages.from_platform("EN", "micro1") == "en"
    assert languages.from_platform("en", "instaview") == "en"
    assert languages.from_platform("Chinese (China)", "micro1") == "zh-CN"
    assert languages.from_platform("Chinese (Simplified)", "micro1") == "zh"


def test_pronunciation_languages_are_jobmojito_languages() -> None:
    assert set(jobmojito_languages.LANGUAGES) >= jobmojito_languages.PRONUNCIATION


# ---------------------------------------------------------------------- through the CLI

PROJECT = """\
project: langs
targets:
  m1:
    provider: micro1
  jm:
    provider: jobmojito
  iv:
    provider: instaview
defaults:
  jobmojito:
    interview_template_id: 46b98d37-1557-4391-beca-03037ead19f2
"""


def definition(language: str, instaview: bool = True) -> str:
    text = f"""\
title: Screen in {language}
description: A screen.
language: {language}
targets: [m1, jm{", iv" if instaview else ""}]
questions:
  - text: Tell us about yourself.
"""
    return text + ("instaview:\n  focus: GENERIC\n" if instaview else "")


def test_case_and_variants_validate_plan_with_a_note_and_apply_once(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        PROJECT,
        {
            "upper": definition("EN"),
            "brazil": definition("pt-br"),
            "us": definition("en-US"),
            "china": definition("zh-CN", instaview=False),
        },
    )
    validated = run(root, "validate")
    assert (validated.exit_code, validated.stdout) == (0, "4 definitions valid\n")
    plan = json.loads(run(root, "plan", "--sandbox", "--json").stdout)
    notes = {
        change["address"]: [n for n in change["notes"] if n.startswith("language ")]
        for change in plan["changes"]
    }
    assert notes["us@m1"] == [
        "language en-US: micro1 has no English (en-US); the interview runs in English (en)"
    ]
    assert notes["brazil@iv"] == [
        "language pt-BR: Instaview has no Portuguese (Brazil); the interview runs in "
        "Portuguese (pt)"
    ]
    assert notes["china@jm"] == [
        "language zh-CN: JobMojito has no Chinese (China); the interview runs in Chinese "
        "(Simplified) (zh)"
    ]
    # EN is en, pt-BR and zh-CN are micro1's own: nothing to say
    assert notes["upper@m1"] == notes["upper@jm"] == notes["brazil@m1"] == []
    assert notes["china@m1"] == notes["brazil@jm"] == []
    applied = run(root, "apply", "--sandbox", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    again = run(root, "plan", "--sandbox", "--refresh", "--detailed-exitcode")
    assert again.exit_code == 0, again.output  # zh-CN reads back as zh-CN: no drift
