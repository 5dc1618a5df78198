"""The cache of rendered resources: a repeat plan takes them from it, exactly as a fresh
render would give them (origins too), and renders again whenever the context changed."""

from __future__ import annotations

import json
from pathlib import Path

from interform.cache import RENDER_FILE, RenderCache, code_fingerprint
from interform.model.identity import Identity
from interform.providers.base import DesiredResource, desired_to_wire
from interform.workspace import open_workspace

from .config_helpers import make_project

DEFINITION = """\
title: Backend
description: Screen.
targets: [micro1, jobmojito]
skills:
  - name: Python
questions:
  - id: why
    text: Why this team?
    answer_time: 90s
  - text: A bug you chased.
"""


def _entries(root: Path) -> dict[str, dict[str, object]]:
    entries: dict[str, dict[str, object]] = json.loads((root / RENDER_FILE).read_text())["entries"]
    return entries


def test_warm_renderings_equal_fresh_ones_origins_included(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/a.yaml": DEFINITION, "interviews/t/b.yaml": DEFINITION})
    cold = open_workspace(tmp_path).desired
    assert len(_entries(tmp_path)) == 1  # both files have one digest
    warm = open_workspace(tmp_path).desired
    assert [r.address for r in warm] == ["a@micro1", "a@jobmojito", "t/b@micro1", "t/b@jobmojito"]
    assert warm == cold
    assert dict(warm[0].origins) == dict(cold[0].origins) != {}
    assert warm[0].origin("/custom_question_list/0/time") == ("questions", 0, "answer_time")


def test_a_hit_skips_rendering(tmp_path: Path) -> None:
    """Proof by a planted body: the plan sees what the cache says."""
    make_project(tmp_path, {"interviews/a.yaml": DEFINITION})
    open_workspace(tmp_path)
    payload = json.loads((tmp_path / RENDER_FILE).read_text())
    (entry,) = payload["entries"].values()
    entry["r"][0]["body"] = {"planted": True}
    (tmp_path / RENDER_FILE).write_text(json.dumps(payload))
    assert open_workspace(tmp_path).desired[0].body == {"planted": True}


def test_a_moved_file_or_other_targets_render_again(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/a.yaml": DEFINITION})
    open_workspace(tmp_path)
    (tmp_path / "interviews/a.yaml").rename(tmp_path / "interviews/c.yaml")
    assert [r.source for r in open_workspace(tmp_path).desired] == ["interviews/c.yaml"] * 2
    project = (tmp_path / "interform.yaml").read_text()
    (tmp_path / "interform.yaml").write_text(project.replace("project: config-tests", "project: x"))
    before = _entries(tmp_path)
    open_workspace(tmp_path)
    assert _entries(tmp_path) == before  # only the project name changed: still valid
    (tmp_path / "interform.yaml").write_text(
        project.replace("targets:\n", "targets:\n  extra:\n    provider: micro1\n")
    )
    assert (ctx := next(iter(_entries(tmp_path).values()))["c"])
    open_workspace(tmp_path)
    assert next(iter(_entries(tmp_path).values()))["c"] != ctx


def test_resources_json_would_change_are_not_cached(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "r.json", "salt", {})
    identity = Identity.at("a@m", "micro1", "interview")
    res = DesiredResource(identity, {"list": (1, 2)}, "a.yaml")
    cache.put("digest", "ctx", [desired_to_wire(res)])
    cache.save(complete=True)
    assert not (tmp_path / "r.json").exists()
    empty = DesiredResource(identity, {}, "")
    cache.put("digest", "ctx", [desired_to_wire(empty)])
    cache.save(complete=True)
    assert list(json.loads((tmp_path / "r.json").read_text())["entries"]) == ["digest"]


def test_the_code_fingerprint_covers_the_extra_modules(tmp_path: Path) -> None:
    module = tmp_path / "render.py"
    module.write_text("A = 1\n")
    before = code_fingerprint([module])
    module.write_text("A = 2\n")
    assert code_fingerprint([module]) != before


def test_the_salts_can_be_made_before_anything_else_is_imported() -> None:
    """The caches' salts read every platform's folder; finding one must not import its
    settings module, which needs the definition model, which imports every platform's
    settings (a fresh process, importing the cache module first)."""
    import subprocess
    import sys

    code = "from interform.cache import make_salt, render_salt; make_salt({}); render_salt({})"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
