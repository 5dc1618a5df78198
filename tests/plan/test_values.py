"""Nested value diffs (`plan/values.py`), shortened word and line diffs (`plan/words.py`)
and their rendering (`render/values.py`, `render/style.py`): nothing that changed is ever
left out or cut, only unchanged context is shortened, and it says by how much."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from interform.output.style import Style, wrap
from interform.output.values import Remarks, ValueLines
from interform.plan.values import Node, diff_values, identity_key, same, tally
from interform.plan.words import ELIDED, elide_words, line_diff, word_diff

PLAIN = Style(colour=False)
ANSI = re.compile(r"\033\[[0-9;]*m")


NO_REMARKS = Remarks()


def render(before: Any, after: Any, remarks: Remarks = NO_REMARKS) -> str:
    return "\n".join(ValueLines(PLAIN).field("value", before, after, 6, remarks))


# ------------------------------------------------------------------ diff_values


def test_equal_values_have_no_difference() -> None:
    assert diff_values({"a": [1, {"b": 2}]}, {"a": [1, {"b": 2}]}) is None


def test_maps_are_compared_key_by_key() -> None:
    node = diff_values({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 5, "d": 4})
    assert node is not None and node.kind == "edited" and node.unchanged == 1
    assert [(c.kind, c.label) for c in node.children] == [
        ("changed", "b"),
        ("removed", "c"),
        ("added", "d"),
    ]


def test_items_with_a_name_are_matched_by_it_edits_moves_adds_and_removes() -> None:
    skills = [{"name": n, "description": f"{n} skill"} for n in ("Python", "SQL", "Go", "Ops")]
    edited = [dict(s) for s in skills]
    edited[0]["description"] = "Python 3.12 skill"
    after = [edited[2], edited[0], edited[1], {"name": "K8s", "description": "k"}]
    node = diff_values(skills, after, "skills")
    assert node is not None and node.items
    kinds = [(c.kind, c.label) for c in node.children]
    assert kinds == [
        ("moved", "#3 → #1 [Go]"),
        ("edited", "#2 [Python]"),
        ("removed", "#4 [Ops]"),
        ("added", "#4 [K8s]"),
    ]
    assert node.unchanged == 1  # SQL kept its relative place and content
    assert tally(node) == "1 added, 1 removed, 1 moved, 1 edited"


def test_identity_key_must_name_every_item_uniquely() -> None:
    assert identity_key([{"id": "a"}], [{"id": "b"}]) == "id"
    assert identity_key([{"name": "a"}, {"name": "a"}], []) is None  # not unique
    assert identity_key([{"name": "a"}], [{"title": "b"}]) is None  # not in every item
    assert identity_key(["a"], ["b"]) is None  # not maps


def test_other_lists_are_aligned_by_content_and_a_replaced_item_is_compared() -> None:
    node = diff_values(["a", "b", "c"], ["a", "x", "c", "d"])
    assert node is not None
    assert [(c.kind, c.label, c.before, c.after) for c in node.children] == [
        ("changed", "#2", "b", "x"),
        ("added", "#4", None, "d"),
    ]
    nested = diff_values([{"k": 1, "v": 1}], [{"k": 1, "v": 2}])
    assert nested is not None and nested.children[0].kind == "edited"


def test_a_value_of_another_type_is_a_change() -> None:
    assert diff_values({"a": 1}, [1]) == Node("changed", "", {"a": 1}, [1])


# ------------------------------------------------------------------ words and lines


def test_long_unchanged_stretches_are_elided_with_a_count_never_the_changes() -> None:
    before = "one two three four five six seven eight nine ten eleven twelve end."
    after = "one two three four five six seven eight nine ten eleven twelve finish."
    ops = elide_words(word_diff(before, after))
    assert ops[0] == (ELIDED, "7 words")
    assert ops[1] == ("=", " eight nine ten eleven twelve ")
    assert ops[2:] == [("-", "end"), ("+", "finish"), ("=", ".")]


def test_short_stretches_between_changes_are_kept_whole() -> None:
    ops = elide_words(word_diff("a b c d e f g h", "X b c d e f g Y"))
    assert ELIDED not in [op for op, _ in ops]


TOKENS = st.sampled_from(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", ",", "."])
PROSE = st.lists(TOKENS, max_size=40).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(PROSE, PROSE)
def test_elision_keeps_every_changed_word_and_counts_what_it_drops(a: str, b: str) -> None:
    ops = word_diff(a, b)
    elided = elide_words(ops)
    assert [o for o in ops if o[0] in "-+"] == [o for o in elided if o[0] in "-+"]
    kept = " ".join(text for op, text in elided if op in "=-")
    dropped = sum(int(text.split()[0]) for op, text in elided if op == ELIDED)
    assert len(kept.split()) + dropped == len(a.split())


LINES = st.lists(st.sampled_from(["a b", "c d", "e f", "g h", "i j"]), max_size=12)


@settings(max_examples=200, deadline=None)
@given(LINES, LINES)
def test_line_diff_without_elision_gives_back_both_texts(a: list[str], b: list[str]) -> None:
    before, after = "\n".join(a), "\n".join(b)
    assume(before != after)  # equal texts are never diffed
    old: list[str] = []
    new: list[str] = []
    for op, content in line_diff(before, after, context=1000):
        if op == "~":
            assert isinstance(content, tuple)
            old.append("".join(t for o, t in content if o != "+"))
            new.append("".join(t for o, t in content if o != "-"))
        else:
            assert isinstance(content, str)
            old += [content] if op in "=-" else []
            new += [content] if op in "=+" else []
    assert ("\n".join(old), "\n".join(new)) == (before, after)


def test_line_diff_elides_long_unchanged_runs_with_a_count() -> None:
    before = "\n".join(f"line {i}" for i in range(20))
    after = before.replace("line 10", "line ten")
    ops = line_diff(before, after)
    assert ops[0] == (ELIDED, "8 unchanged lines")
    assert ops[-1] == (ELIDED, "7 unchanged lines")
    assert ("~", word_diff("line 10", "line ten")) in ops


# ------------------------------------------------------------------ rendering


def test_a_long_string_edit_shows_the_changed_words_not_two_cut_values() -> None:
    before = (
        "Be warm and brisk. Ask every question, follow up once when an answer is vague, "
        "and keep the call under fifteen minutes."
    )
    after = before.replace("fifteen", "twelve")
    text = render(before, after, Remarks(("updates in place",)))
    assert "[-fifteen-]{+twelve+}" in text
    assert "…(15 words)…" in text and '…"' not in text
    assert text.rstrip().endswith("# updates in place")


def test_a_multi_line_string_edit_is_a_line_diff() -> None:
    before = "first line\nsecond line\nthird line"
    after = "first line\nsecond line, edited\nthird line\nfourth line"
    assert render(before, after).splitlines() == [
        "      ~ value:",
        "            first line",
        "          ~ second line{+, edited+}",
        "            third line",
        "          + fourth line",
    ]


def test_created_values_are_whole_and_wrapped_never_cut() -> None:
    long = "word " * 60
    value = {"candidate": {"gdprExpiryDate": "2030-12-31", "note": long.strip()}, "n": 1}
    lines = ValueLines(PLAIN).whole("+", "body", value, 6)
    text = "\n".join(lines)
    assert "…" not in text and '"2030-12-31"' in text
    assert " ".join(text.split()).count("word") == 60
    assert all(len(line) <= 100 for line in lines)


def test_each_changed_leaf_says_what_it_does_and_drift_is_said_once() -> None:
    remarks = Remarks(("forces replacement",), ("changed outside interform",))
    lines = render({"a": 1, "b": {"c": 1}}, {"a": 2, "b": {"c": 2}}, remarks).splitlines()
    assert lines[0] == "      ~ value:  # changed outside interform"
    assert lines[1] == "          ~ a: 1 → 2  # forces replacement"
    assert lines[3] == "              ~ c: 1 → 2  # forces replacement"


JSON_LEAF = st.one_of(st.integers(-5, 5), st.booleans(), st.text("abc", max_size=6))
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from("pqrs"), inner),
    max_leaves=12,
)


def _changed_leaves(before: Any, after: Any) -> list[Any]:
    """The new values of scalars that changed, found without `diff_values`: in maps key
    by key; in lists, the values there are more of than before."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            leaf
            for key in after
            for leaf in (
                _changed_leaves(before[key], after[key]) if key in before else _scalars(after[key])
            )
        ]
    if isinstance(before, list) and isinstance(after, list):
        more = Counter(map(json.dumps, _scalars(after))) - Counter(
            map(json.dumps, _scalars(before))
        )
        return [json.loads(leaf) for leaf in more]
    if same(before, after):
        return []
    return _scalars(after)


def _scalars(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _scalars(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _scalars(v)]
    return [value]


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from("abcd"), JSON), st.dictionaries(st.sampled_from("abcd"), JSON)
)
def test_nothing_changed_is_hidden(before: dict[str, Any], after: dict[str, Any]) -> None:
    text = render(before, after)
    if same(before, after):  # as JSON: 0 is not false
        assert text == ""
        return
    flat = " ".join(text.split())
    for leaf in _changed_leaves(before, after):
        assert json.dumps(leaf) in flat, (leaf, text)
    for line in text.splitlines():
        assert len(line) <= 100 or " " not in line.strip(), line


def test_wrap_breaks_at_spaces_keeps_every_word_and_paints_no_spaces() -> None:
    words = " ".join(f"w{i}" for i in range(60))
    lines = wrap([("  +", "32"), (" label: ", ""), (words, "31")], Style(colour=True), 4, 40)
    plain = [ANSI.sub("", line) for line in lines]
    assert all(len(line) <= 40 for line in plain)
    assert " ".join(" ".join(plain).split()[2:]) == words
    assert all(line.startswith("    ") for line in plain[1:])
    assert "\033[31m \033[0m" not in "".join(lines)
