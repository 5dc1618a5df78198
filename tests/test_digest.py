"""`interform.digest`: a body's digest, and the check that a recorded body has one."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from interform.digest import body_digest, canonical_json, has_digest

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_a_body_has_its_own_digest_whatever_its_key_order(body: Any) -> None:
    assert has_digest(body, body_digest(body))
    read_back = json.loads(canonical_json(body))  # as the lockfile gives it back
    assert has_digest(read_back, body_digest(body))


@given(JSON_VALUES, JSON_VALUES)
def test_a_body_has_not_another_bodys_digest(body: Any, other: Any) -> None:
    if canonical_json(body) != canonical_json(other):
        assert not has_digest(body, body_digest(other))


def test_the_values_the_two_serializers_spell_differently() -> None:
    """Keys out of order, exponents, non-ASCII text: the fast spelling differs from the
    canonical one, and the check still answers from the canonical one."""
    for body in ({"b": 1, "a": 2}, {"x": 1e16}, {"x": 1.5e-7}, {"name": "Café — ✓"}):
        assert has_digest(body, body_digest(body))
        assert not has_digest(body, body_digest({**body, "extra": True}))
