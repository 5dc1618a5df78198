"""Sealed lockfile entries (`interform.render_memo`, `lockfile.memo`): a plan that takes an
unchanged definition's rendering from the lockfile must be the plan that renders it.

Each case starts from the example project applied to the sandbox (all four platforms),
makes one change a user or a tool could make (to a definition, interform.yaml, the
lockfile, the state), then plans through the CLI twice: with the lockfile as it is, and
with every seal removed from it (which makes the plan render everything, as before
seals existed). The two JSON plans must be equal, and the change must show where it
changes anything."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from interform.digest import body_digest

from .projects import run

ROOT = Path(__file__).resolve().parents[2]
LOCK = Path(".interform") / "sandbox" / "interform.lock"
RENDER_CACHE = Path(".interform") / "cache" / "rendered.json"
BACKEND = "interviews/engineering/backend-senior.yaml"
STUDY = "interviews/research/onboarding-study.yaml"
MICRO1 = "engineering/backend-senior@micro1"
PARTICIPANT = "research/onboarding-study@versive#fjord-analytics"


@pytest.fixture(scope="module")
def applied_examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("examples")
    shutil.copy(ROOT / "interform.yaml", root)
    shutil.copytree(ROOT / "interviews", root / "interviews")
    done = run(root, "apply", "--sandbox", "--auto-approve")
    assert done.exit_code == 0, done.output
    return root


@pytest.fixture
def project(applied_examples: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(applied_examples, root)
    shutil.rmtree(root / ".interform" / "cache", ignore_errors=True)
    return root


def _lock(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / LOCK).read_text())
    return data


def _write_lock(root: Path, data: dict[str, Any]) -> None:
    (root / LOCK).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def _plan(root: Path, *extra: str) -> dict[str, Any]:
    shutil.rmtree(root / ".interform" / "cache", ignore_errors=True)
    done = run(root, "plan", "--sandbox", "--format", "json", *extra)
    assert done.exit_code == 0, done.output
    plan: dict[str, Any] = json.loads(done.output)
    return plan


def _unsealed(root: Path) -> None:
    data = _lock(root)
    for entry in data["entries"].values():
        entry.pop("rendered", None)
    _write_lock(root, data)


def _edit(root: Path, relpath: str, old: str, new: str) -> None:
    path = root / relpath
    text = path.read_text()
    assert old in text, f"{old!r} is not in {relpath}"
    path.write_text(text.replace(old, new, 1))


def _edit_entry(root: Path, address: str, change: Callable[[dict[str, Any]], None]) -> None:
    data = _lock(root)
    change(data["entries"][address])
    _write_lock(root, data)


def _request_edited(entry: dict[str, Any]) -> None:
    entry["request"]["name"] = "Renamed by hand"


def _request_and_digest_edited(entry: dict[str, Any]) -> None:
    _request_edited(entry)
    entry["digest"] = body_digest(entry["request"])


def _renamed(root: Path) -> None:
    (root / BACKEND).rename(root / BACKEND.replace("senior", "staff"))


def _renamed_and_moved(root: Path) -> None:
    _renamed(root)
    staff = MICRO1.replace("senior", "staff")
    done = run(root, "state", "mv", "--sandbox", MICRO1, staff)
    assert done.exit_code == 0, done.output


def _drop(root: Path) -> None:
    data = _lock(root)
    del data["entries"][PARTICIPANT]
    _write_lock(root, data)


def _forged(entry: dict[str, Any]) -> None:
    entry["rendered"] = "sha256:" + hashlib.sha256(b"forged").hexdigest()


CHANGES: dict[str, tuple[Callable[[Path], None], bool]] = {
    # name: (the change, whether the plan then has changes)
    "nothing": (lambda root: None, False),
    "question edited": (
        lambda root: _edit(root, BACKEND, "Walk us through how", "Walk us through why"),
        True,
    ),
    "project default language": (
        lambda root: _edit(root, "interform.yaml", "  language: en", "  language: de"),
        True,
    ),
    "platform default": (
        lambda root: _edit(root, "interform.yaml", "Remote (Europe)", "Remote (EU)"),
        True,
    ),
    "target setting": (
        lambda root: _edit(root, "interform.yaml", "per_minute: 60", "per_minute: 50"),
        False,
    ),
    "protect added": (
        lambda root: _edit(root, BACKEND, "targets: [micro1]", "targets: [micro1]\nprotect: true"),
        True,
    ),
    "participant removed": (
        lambda root: _edit(root, STUDY, "    - name: fjord-analytics\n", "    - name: fjord\n"),
        True,
    ),
    "definition file renamed": (_renamed, True),
    "request edited by hand": (
        lambda root: _edit_entry(root, MICRO1, _request_edited),
        True,
    ),
    "request and digest edited by hand": (
        lambda root: _edit_entry(root, MICRO1, _request_and_digest_edited),
        True,
    ),
    "seal forged": (lambda root: _edit_entry(root, MICRO1, _forged), False),
    "protect recorded by hand": (
        lambda root: _edit_entry(root, MICRO1, lambda e: e.update(protect=True)),
        True,
    ),
    "entry removed from the state": (_drop, True),
    "file renamed, entry moved with `state mv`": (_renamed_and_moved, False),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_plan_from_seals_is_the_plan_that_renders(project: Path, name: str) -> None:
    change, has_changes = CHANGES[name]
    change(project)
    sealed = _plan(project)
    _unsealed(project)
    rendered = _plan(project)
    assert sealed == rendered
    assert sealed["summary"]["has_changes"] is has_changes, sealed["changes"]


def test_the_same_holds_when_the_platforms_are_read_back(project: Path) -> None:
    """`--refresh` compares with what the emulators hold: the same either way."""
    _edit(project, BACKEND, "Walk us through how", "Walk us through why")
    sealed = _plan(project, "--refresh")
    _unsealed(project)
    assert sealed == _plan(project, "--refresh")


def _changed_on_micro1(root: Path) -> None:
    """An edit made in micro1's dashboard: the emulator's log gets the object again with
    another name, as the emulator itself records an update."""
    remote_id = _lock(root)["entries"][MICRO1]["remote_id"]
    log = root / ".interform" / "sandbox" / "state" / "micro1" / "micro1.jsonl"
    records = [json.loads(line) for line in log.read_text().splitlines()]
    last = [r for r in records if r.get("id") == remote_id and "obj" in r][-1]
    changed = {**last, "obj": {**last["obj"], "interview_name": "Renamed in micro1"}}
    with log.open("a") as out:
        out.write(json.dumps(changed) + "\n")


def test_drift_recorded_by_refresh_is_planned_the_same(project: Path) -> None:
    """`refresh` records the read-back value in the entry (request and digest), which
    breaks its seal: the next plan puts the definition's value back either way."""
    _changed_on_micro1(project)
    done = run(project, "refresh", "--sandbox")
    assert done.exit_code == 0, done.output
    assert "interview_name" in _lock(project)["entries"][MICRO1]["drifted"]
    sealed = _plan(project)
    _unsealed(project)
    assert sealed == _plan(project)
    (update,) = [c for c in sealed["changes"] if c["address"] == MICRO1]
    assert update["action"] == "update"


def test_apply_seals_what_a_definition_alone_renders(project: Path) -> None:
    """Every entry rendered from its definition alone is sealed; an Instaview session
    (it holds its job's and candidate's ids) and what its definition renders are not."""
    entries = _lock(project)["entries"]
    sealed = {address for address, entry in entries.items() if entry.get("rendered")}
    assert sealed == {a for a in entries if not a.startswith("sales/")}
    assert len(sealed) == 8


def test_an_unchanged_sealed_definition_is_not_rendered(project: Path) -> None:
    """A cold no-change plan renders only what is not sealed: the render cache it leaves
    holds the Instaview definition alone; without the seals it holds all five."""
    assert _plan(project)["summary"]["has_changes"] is False
    run(project, "plan", "--sandbox")
    assert len(json.loads((project / RENDER_CACHE).read_text())["entries"]) == 1
    _unsealed(project)
    shutil.rmtree(project / ".interform" / "cache")
    run(project, "plan", "--sandbox")
    assert len(json.loads((project / RENDER_CACHE).read_text())["entries"]) == 5


def test_an_applied_edit_is_sealed_again(project: Path) -> None:
    before = _lock(project)["entries"][MICRO1]["rendered"]
    _edit(project, BACKEND, "Walk us through how", "Walk us through why")
    done = run(project, "apply", "--sandbox", "--auto-approve")
    assert done.exit_code == 0, done.output
    after = _lock(project)["entries"][MICRO1]
    assert after["rendered"] and after["rendered"] != before
    assert _plan(project)["summary"]["has_changes"] is False


def test_a_plan_shows_what_a_changed_recalled_object_sends(project: Path) -> None:
    """A sealed object found deleted on its platform is created again from the
    recorded request, which is the rendering: the same create either way, with the
    resource's notes (rendered again only then)."""
    data = _lock(project)
    data["entries"][MICRO1]["remote_id"] = None  # as `refresh` records an object gone
    _write_lock(project, data)
    sealed = _plan(project)
    _unsealed(project)
    assert sealed == _plan(project)
    (create,) = [c for c in sealed["changes"] if c["address"] == MICRO1]
    assert create["action"] == "create"
    assert any("description is not sent" in note for note in create["notes"])


def _platform_logs(root: Path) -> dict[str, str]:
    state = root / ".interform" / "sandbox" / "state"
    return {str(p.relative_to(state)): p.read_text() for p in sorted(state.rglob("*.jsonl"))}


def test_a_no_change_apply_seals_what_is_not_sealed_and_sends_nothing(project: Path) -> None:
    """A lockfile written before seals existed (or by another interform): the next
    apply, even with nothing to change, seals the unchanged objects, through the
    journal, without a request to any platform."""
    sealed = _lock(project)["entries"]
    _unsealed(project)
    _edit_entry(project, MICRO1, _forged)  # a stale seal is replaced too
    logs = _platform_logs(project)
    done = run(project, "apply", "--sandbox", "--auto-approve")
    assert done.exit_code == 0, done.output
    assert "Sealed 8 unchanged object(s)" in done.output
    assert _lock(project)["entries"] == sealed
    assert _platform_logs(project) == logs
    assert not (project / LOCK.with_name("interform.lock.journal")).exists()


def test_an_apply_with_changes_seals_the_unchanged_objects_too(project: Path) -> None:
    _unsealed(project)
    _edit(project, BACKEND, "Walk us through how", "Walk us through why")
    done = run(project, "apply", "--sandbox", "--auto-approve")
    assert done.exit_code == 0, done.output
    assert "Sealed 7 unchanged object(s)" in done.output  # the 8th is the one updated
    entries = _lock(project)["entries"]
    assert sum(1 for e in entries.values() if e.get("rendered")) == 8


def test_an_apply_with_every_seal_current_writes_nothing(project: Path) -> None:
    before = (project / LOCK).stat().st_mtime_ns
    done = run(project, "apply", "--sandbox", "--auto-approve")
    assert done.exit_code == 0, done.output
    assert "Sealed" not in done.output
    assert (project / LOCK).stat().st_mtime_ns == before


def test_an_entry_that_records_something_else_is_not_sealed(project: Path) -> None:
    """Drift recorded by refresh: the plan is an update, not an unchanged object, so
    the apply sends it and records (and seals) what it sent instead."""
    _unsealed(project)
    _changed_on_micro1(project)
    assert run(project, "refresh", "--sandbox").exit_code == 0
    done = run(project, "apply", "--sandbox", "--auto-approve")
    assert done.exit_code == 0, done.output
    assert "Sealed 7 unchanged object(s)" in done.output
    entry = _lock(project)["entries"][MICRO1]
    assert entry["rendered"] and not entry.get("drifted")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Walk us through how", "Walk us through why"),
        ("targets: [micro1]", "targets: [micro1]\nprotect: true"),
    ],
    ids=["question", "protect"],
)
def test_an_apply_of_other_targets_leaves_an_edited_definition_unsealed(
    project: Path, old: str, new: str
) -> None:
    """`--target` leaves an edited definition out of the apply: its entry still records
    what was applied before, so it must not be sealed as the new rendering (the next
    plan would take the entry for it and hide the edit)."""
    _unsealed(project)
    _edit(project, BACKEND, old, new)
    done = run(project, "apply", "--sandbox", "--auto-approve", "--target", "research/*")
    assert done.exit_code == 0, done.output
    assert "rendered" not in _lock(project)["entries"][MICRO1]
    (change,) = [c for c in _plan(project)["changes"] if c["address"] == MICRO1]
    assert change["action"] == "update"
