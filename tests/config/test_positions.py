"""`locate`: the line and column of a YAML path, as the planner uses it to report a
rendered request body's problem at the line that caused it."""

from __future__ import annotations

from pathlib import Path

import pytest

from interform.config import locate

TEXT = """\
# yaml-language-server: $schema=../schemas/interview.schema.json
title: Backend screen
targets: [micro1, jobmojito]
questions:
  - id: intro
    text: Tell us about yourself.
    answer_time: 2m
  - text: >-
      A folded
      question.
empty:
micro1:
  selected_coding_language: python
base: &base {location: Remote}
jobmojito:
  <<: *base
  status: draft
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "interviews").mkdir()
    (tmp_path / "interviews" / "a.yaml").write_text(TEXT)
    return tmp_path


@pytest.mark.parametrize(
    ("path", "position"),
    [
        ((), (1, 1)),
        (("title",), (2, 8)),  # a scalar: its value
        (("targets",), (3, 1)),  # a collection: its key
        (("targets", 1), (3, 19)),
        (("questions",), (4, 1)),
        (("questions", 0), (5, 5)),  # a list item: where it starts
        (("questions", 0, "answer_time"), (7, 18)),
        (("questions", 1, "text"), (8, 11)),
        (("empty",), (11, 1)),  # no value: the key
        (("micro1", "selected_coding_language"), (13, 29)),
        (("jobmojito", "status"), (17, 11)),
        # absent paths fall back to the nearest ancestor that exists
        (("questions", 0, "follow_up_to"), (5, 5)),
        (("questions", 7, "text"), (4, 1)),
        (("micro1", "only_coding_round"), (12, 1)),
        (("jobmojito", "location"), (15, 1)),  # merged in by <<: no position of its own
        (("versive", "study", "mode"), (1, 1)),
    ],
)
def test_positions(root: Path, path: tuple[str | int, ...], position: tuple[int, int]) -> None:
    assert locate(root, "interviews/a.yaml", path) == position


def test_unreadable_or_broken_files_point_at_the_start(root: Path) -> None:
    (root / "interviews" / "b.yaml").write_text("title: [unclosed\n")
    assert locate(root, "interviews/b.yaml", ("title",)) == (1, 1)
    assert locate(root, "interviews/missing.yaml", ("title",)) == (1, 1)
