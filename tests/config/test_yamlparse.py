"""The fast YAML builder gives exactly what ruamel.yaml's safe loader gives, and refuses
what a definition never needs (bombs, deep nesting, tags, several documents)."""

from __future__ import annotations

import io
import math
import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.cyaml import CParser, CSafeLoader  # type: ignore[attr-defined]
from ruamel.yaml.error import YAMLError

from interform.config import yamlparse
from interform.config.yamlparse import MAX_ALIASES, MAX_DEPTH, SyntaxProblem, parse

TRICKY_SCALARS = [
    "no", "yes", "on", "off", "y", "n", "true", "True", "FALSE", "null", "Null", "~", "",
    "0", "010", "0o17", "0x1F", "0b101", "-0x1F", "1_000", "+12", "-7", "1.5", "1e3",
    "1.5e-3", ".5", "-.5", ".inf", "-.Inf", ".nan", "2026-11-16", "2026-11-16T10:00:00Z",
    "2026-11-16 10:00:00.5 +02:00", "2026-1-2", "12:30:00", "1:20", "<<", "=", "0.", "+.inf",
    "007", "1__0", "0o", "0x", "3.14.15", "Infinity", "NaN",
]  # fmt: skip


SYNTAX = "YAML syntax error:"
FLOW = "while parsing a flow sequence"
TAB = "indentation or a value"


def safe_load(text: str) -> Any:
    """ruamel.yaml's C-backed safe loader: the reference (its libyaml scanner differs from
    the pure-Python one on a few edge cases, e.g. `[2026-11-16T10:00:00Z]`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loader = CSafeLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def outcome(loader: Any, text: str) -> tuple[str, Any]:
    try:
        return "ok", loader(text)
    except (YAMLError, SyntaxProblem, ValueError):
        return "error", None


@pytest.mark.parametrize("scalar", TRICKY_SCALARS)
@pytest.mark.parametrize("template", ["k: {}\n", "- {}\n", "k: [{}]\n"])
def test_plain_scalars_resolve_as_ruamel_resolves_them(template: str, scalar: str) -> None:
    text = template.format(scalar)
    mine, theirs = outcome(parse, text), outcome(safe_load, text)
    assert mine[0] == theirs[0], text
    assert same(mine[1], theirs[1]), text


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=True),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.sampled_from(TRICKY_SCALARS),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4),
    ),
    max_leaves=25,
)


def dumped(data: Any, flow: bool) -> str:
    """`{"root": data}` as ruamel's pure-Python dumper writes it (block or flow style)."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    out = io.StringIO()
    yaml.dump({"root": data}, out)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(data=documents, flow=st.booleans())
def test_round_trips_through_ruamel_dumps(data: Any, flow: bool) -> None:
    text = dumped(data, flow)
    mine, theirs = outcome(parse, text), outcome(safe_load, text)
    assert mine[0] == theirs[0], text
    assert same(mine[1], theirs[1]), text


def test_merge_keys_follow_ruamel() -> None:
    text = "a: &a {p: 1, q: 2}\nb: &b {r: 3}\nc:\n  <<: [*a, *b]\n  q: 9\n"
    assert (
        parse(text)
        == safe_load(text)
        == {
            "a": {"p": 1, "q": 2},
            "b": {"r": 3},
            "c": {"p": 1, "q": 9, "r": 3},
        }
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\n---\nb: 2\n", (2, 1, "more than one YAML document in this file")),
        ("a: 1\nb: 2\na: 3\n", (3, 1, 'duplicate key "a" (first defined on line 1)')),
        ("{a: 1, a: 2}\n", (1, 8, 'duplicate key "a" (first defined on line 1)')),
        ("a: !env SECRET\n", (1, 4, "unsupported YAML tag !env")),
        ("a: !!binary aGk=\n", (1, 4, "unsupported YAML tag tag:yaml.org,2002:binary")),
        ("? [1, 2]\n: x\n", (1, 3, "a key must be a plain value")),
        ("a: *nowhere\n", (1, 4, "alias *nowhere refers to no anchor")),
        ("a: <<\n", (1, 4, "<< is only allowed as a key")),
        ("<<: 5\n", (1, 1, "<< must merge a mapping or a list of mappings")),
        ("d: 2026-02-30\n", (1, 4, "'2026-02-30' is not a valid timestamp")),
        ("a: [1, 2\n", (1, 4, f"{SYNTAX} did not find expected ',' or ']' {FLOW}")),
        ("a:\n\tb: 1\n", (2, 1, f"{SYNTAX} tab character where YAML expects {TAB}")),
        ("a: b: c\n", (1, 5, f"{SYNTAX} mapping values are not allowed in this context")),
        ("a: x\x00y\n", (1, 5, "character U+0000 is not allowed in YAML")),
    ],
)  # fmt: skip
def test_refusals_are_positioned(text: str, expected: tuple[int, int, str]) -> None:
    with pytest.raises(SyntaxProblem) as caught:
        parse(text)
    problem = caught.value
    assert (problem.line, problem.col, problem.message) == expected
    assert problem.fix


def test_empty_documents_are_none() -> None:
    assert parse("") is None
    assert parse("# only a comment\n") is None
    assert parse("---\n") is None


def test_aliases_are_counted() -> None:
    head = "s: &s x\nl:\n"
    assert len(parse(head + "  - *s\n" * MAX_ALIASES)["l"]) == MAX_ALIASES
    with pytest.raises(SyntaxProblem) as caught:
        parse(head + "  - *s\n" * (MAX_ALIASES + 1))
    assert (caught.value.line, caught.value.message) == (
        3 + MAX_ALIASES,
        f"more than {MAX_ALIASES} aliases in one file",
    )


def test_billion_laughs_is_refused_before_it_expands() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    with pytest.raises(SyntaxProblem) as caught:
        parse("\n".join(lines) + "\n")
    assert caught.value.message == "aliases expand to more than 100,000 values"
    assert caught.value.line == 5  # level e: about 10**5 values


def test_nesting_is_bounded_without_recursion() -> None:
    ok = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert parse(f"a: {ok}\n") is not None
    with pytest.raises(SyntaxProblem) as caught:
        parse("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert caught.value.message == f"nested deeper than {MAX_DEPTH} levels"


def built(text: str) -> Any:
    """What the full builder (positions, every check) makes of `text`."""
    parser = CParser(text)
    try:
        return yamlparse._Builder(parser).document()
    finally:
        parser.dispose()


def test_the_fast_path_builds_a_plain_definition_itself() -> None:
    text = "title: T\ntargets: [micro1]\nquestions:\n  - {id: q1, text: 'Why?', answer_time: 60}\n"
    assert yamlparse._plain_document(text) == built(text) == parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key
        "{1: x, true: y}\n",  # equal keys (1 == True) count as one key twice
        "a: !!str 1\n",  # tag
        "a: &x 1\nb: *x\n",  # anchor, alias
        "a: [&x 1]\n",
        "a: &m {b: 1}\n",
        "<<: {a: 1}\n",  # merge key
        "a: <<\n",
        "? [1]\n: x\n",  # complex key
        "? {a: 1}\n: x\n",
        "a: 1\n---\nb: 2\n",  # two documents
        "",  # no document
        "a: [1, 2\n",  # syntax error
        "d: 2026-02-30\n",  # a plain scalar that does not convert
        "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n",  # deeper than allowed
    ],
)
def test_the_fast_path_leaves_everything_else_to_the_builder(text: str) -> None:
    with pytest.raises((yamlparse._Unusual, SyntaxProblem, YAMLError)):
        yamlparse._plain_document(text)


@settings(max_examples=150, deadline=None)
@given(data=documents, flow=st.booleans())
def test_the_fast_path_gives_what_the_builder_gives_or_declines(data: Any, flow: bool) -> None:
    text = dumped(data, flow)
    try:
        fast = yamlparse._plain_document(text)
    except (yamlparse._Unusual, SyntaxProblem, YAMLError):
        return
    assert same(fast, built(text)), text
