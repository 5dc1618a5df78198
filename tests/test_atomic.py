"""`interform.atomic.atomic_write`: a file replaced whole, from one text or from pieces."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interform.atomic import atomic_write


def test_pieces_are_written_in_order(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    atomic_write(path, (f"{i}," for i in range(1000)), 0o600, durable=False)
    assert path.read_text() == "".join(f"{i}," for i in range(1000))
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_failure_between_pieces_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    path.write_text("old")

    def pieces() -> Iterator[str]:
        yield "new, half"
        raise RuntimeError("stopped while writing")

    with pytest.raises(RuntimeError):
        atomic_write(path, pieces())
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.json"]


def test_a_text_replaces_a_link_rather_than_following_it(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("kept")
    link = tmp_path / "interform.lock"
    link.symlink_to(target)
    atomic_write(link, "written")
    assert not link.is_symlink() and link.read_text() == "written"
    assert target.read_text() == "kept"
