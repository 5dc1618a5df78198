"""The cache of validated definitions: used when it matches, ignored when it cannot be
trusted or read, rebuilt, and never the reason a run fails."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from interform.cache import CACHE_FILE
from interform.config import LoadedDefinition, load_definitions, load_project
from interform.errors import UserError

from .config_helpers import load, make_project, problems

SESSION_FILE = """\
title: Sales screen
description: Phone screen.
targets: [instaview]
questions:
  - id: why
    text: Why sales?
    answer_time: 90s
instaview:
  focus: GENERIC
  sessions:
    - name: dry-run
      is_test: true
      candidate:
        first_name: Test
        last_name: Person
        email: test@example.com
        gdpr_expiry_date: 2030-01-31
      metadata:
        checked_on: 2026-11-20
"""


B = "title: B\ntargets: [micro1]\n"


def _payload(root: Path, entries: object) -> bytes:
    """A well-formed cache file for this project holding `entries`."""
    salt = _cache(root)["salt"]
    return json.dumps({"format": 1, "salt": salt, "entries": entries}).encode()


def _cache(root: Path) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((root / CACHE_FILE).read_text())
    return payload


def _entries(root: Path) -> dict[str, dict[str, Any]]:
    entries = _cache(root)["entries"]
    assert isinstance(entries, dict)
    return entries


def test_warm_runs_give_exactly_what_cold_runs_give(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/sales.yaml": SESSION_FILE, "interviews/b.yaml": B})
    cold = load(tmp_path)
    assert (tmp_path / CACHE_FILE).is_file()
    warm = load(tmp_path)
    assert warm == cold
    for before, after in zip(cold, warm, strict=True):
        assert before.definition.model_dump(exclude_unset=True) == after.definition.model_dump(
            exclude_unset=True
        )
    instaview = warm[1].definition.instaview
    assert instaview is not None
    session = instaview.sessions[0]
    assert session.metadata == {"checked_on": "2026-11-20"}


def test_a_cache_hit_skips_parsing(tmp_path: Path) -> None:
    """Proof by a planted entry: the file's digest maps to another title."""
    make_project(tmp_path, {"interviews/a.yaml": "title: From YAML\ntargets: [micro1]\n"})
    (digest,) = [d.digest for d in load(tmp_path)]
    payload = _cache(tmp_path)
    entries = payload["entries"]
    assert isinstance(entries, dict) and list(entries) == [digest]
    entries[digest]["d"] = json.dumps({"title": "From the cache", "targets": ["micro1"]})
    (tmp_path / CACHE_FILE).write_text(json.dumps(payload))
    assert [d.definition.title for d in load(tmp_path)] == ["From the cache"]


def test_rules_run_on_cached_definitions_too(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/a.yaml": "title: A\ntargets: [micro1]\n"})
    load(tmp_path)
    salt = _cache(tmp_path)["salt"]
    project = (tmp_path / "interform.yaml").read_text().replace("  micro1:\n", "  m1:\n")
    (tmp_path / "interform.yaml").write_text(project)  # the same defaults: the same cache
    assert problems(tmp_path) == [
        'interviews/a.yaml:2:11: target "micro1" is not defined in interform.yaml — defined '
        "targets: instaview, jobmojito, m1, versive"
    ]
    assert _cache(tmp_path)["salt"] == salt


def test_changing_defaults_invalidates_every_entry(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/a.yaml": "title: A\ntargets: [micro1]\n"})
    load(tmp_path)
    salt = _cache(tmp_path)["salt"]
    project = (tmp_path / "interform.yaml").read_text().replace("language: en", "language: de")
    (tmp_path / "interform.yaml").write_text(project)
    assert [d.definition.language for d in load(tmp_path)] == ["de"]
    assert _cache(tmp_path)["salt"] != salt


def test_corrupted_or_foreign_caches_are_ignored_and_rebuilt(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/a.yaml": "title: A\ntargets: [micro1]\n"})
    (digest,) = [d.digest for d in load(tmp_path)]
    cache = tmp_path / CACHE_FILE
    for garbage in (
        b"\x00\xff not json",
        b'{"format": 99, "entries": {}}',
        b"[]",
        _payload(tmp_path, {digest: 5}),
        _payload(tmp_path, {digest: {"d": '{"title": 5}', "k": []}}),
        _payload(tmp_path, {digest: {"d": "{not json", "k": []}}),
        _payload(tmp_path, {digest: {"d": {"title": "A"}, "k": []}}),
    ):
        cache.write_bytes(garbage)
        assert [d.definition.title for d in load(tmp_path)] == ["A"]
        assert list(_entries(tmp_path)) == [digest]


def test_an_unwritable_cache_does_not_fail_the_run(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/a.yaml": "title: A\ntargets: [micro1]\n"})
    (tmp_path / ".interform").mkdir()
    (tmp_path / ".interform" / "cache").write_text("a file where the directory should be")
    assert [d.address for d in load(tmp_path)] == ["a"]


def test_writes_are_atomic_and_leave_no_temporary_files(tmp_path: Path) -> None:
    make_project(tmp_path, {f"interviews/d{i}.yaml": B for i in range(5)})
    load(tmp_path)
    assert sorted(p.name for p in (tmp_path / CACHE_FILE).parent.iterdir()) == ["definitions.json"]


def test_a_partial_run_keeps_entries_and_a_full_run_prunes_them(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {"interviews/a.yaml": "title: A\ntargets: [micro1]\n", "interviews/b.yaml": B},
    )
    load(tmp_path)
    assert len(_entries(tmp_path)) == 2
    (tmp_path / "interviews/b.yaml").write_text("title: B2\ntargets: [micro1]\n")
    load(tmp_path, [tmp_path / "interviews/b.yaml"])
    assert len(_entries(tmp_path)) == 3  # the old b is kept: this run did not see everything
    load(tmp_path)
    assert len(_entries(tmp_path)) == 2


def test_invalid_files_are_not_cached(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/a.yaml": "title: A\ntargets: [micro1]\nfoo: 1\n"})
    assert problems(tmp_path)
    assert not (tmp_path / CACHE_FILE).exists()


def test_a_clean_hit_in_the_same_context_skips_the_rules(tmp_path: Path) -> None:
    """Proof by a planted entry the rules would reject (no targets): it is trusted."""
    make_project(tmp_path, {"interviews/a.yaml": "title: A\ntargets: [micro1]\n"})
    (digest,) = [d.digest for d in load(tmp_path)]
    payload = _cache(tmp_path)
    entries = payload["entries"]
    assert isinstance(entries, dict) and entries[digest]["ok"]
    entries[digest]["d"] = json.dumps({"title": "A", "targets": []})
    (tmp_path / CACHE_FILE).write_text(json.dumps(payload))
    assert [d.definition.targets for d in load(tmp_path)] == [[]]
    del entries[digest]["ok"]
    (tmp_path / CACHE_FILE).write_text(json.dumps(payload))
    assert problems(tmp_path)  # without the verdict the rules run and catch it


def test_a_verdict_that_depends_on_the_clock_is_not_kept(tmp_path: Path) -> None:
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    scheduled = SESSION_FILE.replace(
        "is_test: true", f"is_test: true\n      schedule_time: {tomorrow}"
    )
    make_project(tmp_path, {"interviews/sales.yaml": scheduled, "interviews/b.yaml": B})
    load(tmp_path)
    verdicts = {json.loads(e["d"])["title"]: "ok" in e for e in _entries(tmp_path).values()}
    assert verdicts == {"Sales screen": False, "B": True}


def test_an_unreadable_cached_model_is_a_user_error_when_used(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/a.yaml": "title: A\ntargets: [micro1]\n"})
    (digest,) = [d.digest for d in load(tmp_path)]
    payload = _cache(tmp_path)
    payload["entries"][digest]["d"] = '{"title": 5, "targets": ["micro1"]}'
    (tmp_path / CACHE_FILE).write_text(json.dumps(payload))
    (loaded,) = load(tmp_path)
    with pytest.raises(UserError) as caught:
        loaded.definition  # noqa: B018
    assert caught.value.lines() == [
        "interviews/a.yaml: its cached definition cannot be read — delete .interform/cache/ "
        "and run again"
    ]


def test_each_definition_is_seen_while_built_then_released_and_rebuilt_equal(
    tmp_path: Path,
) -> None:
    make_project(tmp_path, {"interviews/sales.yaml": SESSION_FILE, "interviews/b.yaml": B})
    project = load_project(tmp_path)

    def titles_seen() -> dict[str, str]:
        seen: dict[str, str] = {}

        def see(d: LoadedDefinition) -> None:
            seen.setdefault(d.address, d.definition.title)

        loaded = load_definitions(tmp_path, project, on_loaded=see)
        assert [d.definition.title for d in loaded] == ["B", "Sales screen"]
        return seen

    assert titles_seen() == titles_seen() == {"b": "B", "sales": "Sales screen"}  # cold, warm
    warm = [d.definition for d in load(tmp_path)]
    (tmp_path / CACHE_FILE).unlink()
    assert [d.definition for d in load(tmp_path)] == warm
