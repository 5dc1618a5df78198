"""Renderers on hand-built plans: colour rules, wording, truncation, Markdown limits, and
the JSON schema against every golden JSON output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from interform.model.identity import Identity
from interform.output.common import summary_line
from interform.output.jsonout import plan_document, plan_json_schema, render_json
from interform.output.markdown import render_markdown
from interform.output.text import render_text
from interform.plan.model import Action, Change, FieldDiff, Plan, QuestionChange

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"
ANSI = re.compile(r"\033\[[0-9;]*m")


def change(address: str, action: Action, **extra: object) -> Change:
    made = Change(Identity.at(address, "micro1", "interview"), action)
    for name, value_ in extra.items():
        setattr(made, name, value_)
    return made


def edited_plan() -> Plan:
    question = QuestionChange(
        "edited",
        None,
        "Tell us about a bug",
        "Tell us about an outage",
        before_index=0,
        after_index=1,
        words=(("=", "Tell us about "), ("-", "a bug"), ("+", "an outage")),
        moved=True,
    )
    edit = change(
        "eng/backend@micro1",
        Action.UPDATE,
        fields=[
            FieldDiff("interview_name", "Old", "New"),
            FieldDiff("custom_question_list", [], []),
        ],
        questions=[question],
        questions_field="custom_question_list",
    )
    replace = change(
        "eng/frontend@micro1",
        Action.REPLACE,
        fields=[FieldDiff("interview_language", "en", "de", forces_replacement=True, drift=True)],
    )
    return Plan(changes=[edit, replace, change("ops/x@micro1", Action.DELETE, reason="gone")])


def test_plain_text_has_no_escape_codes_and_marks_words() -> None:
    text = render_text(edited_plan())
    assert not ANSI.search(text)
    assert "~ #1 → #2 Tell us about [-a bug-]{+an outage+}" in text
    assert '~ interview_language: "en" → "de"  # forces replacement; changed outside interform' in (
        text
    )
    assert text.endswith("Plan: 0 to create, 1 to update, 1 to replace, 1 to delete.\n")


def test_colour_text_differs_only_by_escape_codes() -> None:
    plain = render_text(edited_plan())
    coloured = render_text(edited_plan(), colour=True)
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == plain


@pytest.mark.parametrize(
    ("actions", "line"),
    [
        ([], "No changes. Your interviews match the lockfile."),
        (
            [Action.CREATE, Action.CREATE, Action.UPDATE, Action.REPLACE],
            "Plan: 2 to create, 1 to update, 1 to replace, 0 to delete.",
        ),
        (
            [Action.MOVE, Action.FORGET, Action.ARCHIVE, Action.ADOPT, Action.BLOCKED],
            "Plan: 0 to create, 0 to update, 0 to replace, 0 to delete; "
            "1 to move, 1 to archive, 1 to forget, 1 to adopt, 1 blocked.",
        ),
    ],
)
def test_summary_line(actions: list[Action], line: str) -> None:
    plan = Plan(changes=[change(f"i{n}@t", a) for n, a in enumerate(actions)])
    assert summary_line(plan) == line


def test_long_values_are_never_cut() -> None:
    long = "word " * 100
    plan = Plan(changes=[change("a@t", Action.UPDATE, fields=[FieldDiff("x", "old", long)])])
    for text in (render_text(plan), render_markdown(plan)):
        assert " ".join(text.split()).count("word") == 100 and "…" not in text


def test_markdown_groups_by_interview_and_counts_by_target() -> None:
    md = render_markdown(edited_plan())
    assert "| target | update | replace | delete |" in md
    assert "| `micro1` | 1 | 1 | 1 |" in md
    assert md.count("<details>") == 3  # eng/backend, eng/frontend, ops/x
    assert "<summary><code>eng/backend</code> — 1 to update</summary>" in md


def test_markdown_fence_outgrows_backticks_in_values() -> None:
    plan = Plan(changes=[change("a@t", Action.CREATE, fields=[FieldDiff("x", None, "````")])])
    md = render_markdown(plan)
    assert "`````text" in md and md.count("`````") == 2


def test_markdown_escapes_html_in_summaries() -> None:
    plan = Plan(changes=[change("a@t", Action.CREATE)], warnings=["<script>"])
    assert "<script>" not in render_markdown(plan)


def _creates(n: int, folder: str = "team", size: int = 5) -> list[Change]:
    return [
        change(
            f"{folder}/role-{i:05d}@micro1",
            Action.CREATE,
            fields=[FieldDiff(f"field_{k}", None, "a value " * 5) for k in range(size)],
        )
        for i in range(n)
    ]


def test_markdown_collapses_the_largest_interviews_first_and_lists_every_change() -> None:
    big = _creates(1, "big", size=400)  # one interview with a very long diff
    small = _creates(20, "small")
    md = render_markdown(Plan(changes=[*big, *small]), limit=20_000)
    assert len(md) <= 20_000
    assert "is too long for a comment" in md and "--limit 0" in md
    # the big one is one line per object, the small ones keep their whole diff
    assert "- <code>big/role-00000</code> — 1 to create" in md
    assert "  - `big/role-00000@micro1` create: field_0, field_1," in md
    assert md.count("<details>") == 20
    assert "**Plan: 21 to create, 0 to update, 0 to replace, 0 to delete.**" in md


def test_markdown_for_thousands_of_changes_counts_each_one_by_folder() -> None:
    changes = [*_creates(3000), *_creates(2, "other")]
    changes.append(change("team/old@micro1", Action.DELETE))
    md = render_markdown(Plan(changes=changes), full_plan="see [the job summary](https://x)")
    assert len(md) <= 60_000
    assert "see [the job summary](https://x)" in md
    assert "**Plan: 3002 to create, 0 to update, 0 to replace, 1 to delete.**" in md
    assert "| `micro1` | 3002 | 1 |" in md
    assert "- <code>team/</code> (3,001 interviews) — 3000 to create, 1 to delete" in md
    assert "- <code>other/</code> (2 interviews) — 2 to create" in md


def test_markdown_shortens_in_steps_never_past_what_fits() -> None:
    """Each step is taken only when the one before does not fit: a plan that fits one
    line per interview lists every interview."""
    changes = _creates(300)
    lines = render_markdown(Plan(changes=changes), limit=16_000)
    assert len(lines) <= 16_000 and "<details>" not in lines
    assert all(f"<code>team/role-{i:05d}</code>" in lines for i in range(300))
    assert render_markdown(Plan(changes=changes), limit=0).count("<details>") == 300


def test_small_plans_are_not_shortened() -> None:
    md = render_markdown(edited_plan())
    assert "too long" not in md and "```text" in md


def test_json_document_is_valid_and_versioned() -> None:
    document = plan_document(edited_plan())
    jsonschema.Draft202012Validator(plan_json_schema()).validate(document)
    assert document["format_version"] == "1"
    assert document["summary"]["update"] == 1 and document["summary"]["has_changes"]
    assert json.loads(render_json(edited_plan())) == document


def test_schema_rejects_what_the_format_does_not_allow() -> None:
    document = plan_document(edited_plan())
    document["changes"][0]["action"] = "explode"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(plan_json_schema()).validate(document)


@pytest.mark.parametrize("path", sorted(TESTDATA.glob("*/plan.json")), ids=lambda p: p.parent.name)
def test_golden_json_outputs_match_the_schema(path: Path) -> None:
    jsonschema.Draft202012Validator(plan_json_schema()).validate(json.loads(path.read_text()))


def test_schema_is_itself_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(plan_json_schema())
