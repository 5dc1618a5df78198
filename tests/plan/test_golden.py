"""Golden files: each case's plan rendered as text, JSON and Markdown (or its refusal).

Regenerate with `UPDATE_GOLDEN=1 python -m pytest tests/plan`, then review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from interform.output.text import render_text
from interform.plan.saved import load_saved, save_plan

from .golden import case_names, compare, load_case, outputs, plan_case


@pytest.mark.parametrize("name", case_names())
def test_golden(name: str) -> None:
    case = load_case(name)
    actual = outputs(case)
    differing = compare(case, actual)
    assert not differing, f"{name}: {differing} differ; run with UPDATE_GOLDEN=1 and review"


@pytest.mark.parametrize("name", case_names())
def test_saved_plan_renders_the_same(name: str, tmp_path: Path) -> None:
    case = load_case(name)
    plan = plan_case(case)
    key = b"golden-plan-key-0123456789"
    save_plan(tmp_path / "plan.out", plan, case.lock, key)
    assert render_text(load_saved(tmp_path / "plan.out", key)) == render_text(plan)


def test_there_are_cases() -> None:
    assert len(case_names()) >= 10
