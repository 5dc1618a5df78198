"""Hostile lockfiles, journals and saved plans: each gives exit 1 and one positioned line
naming the file and what is wrong, fast and in little memory — never exit 3, a hang on a
device or FIFO, or a lockfile every later command rejects."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .hostile_support import Run, assert_bounded, one_line_error, record, refused, run_cli

Spoil = Callable[[Path], None]

DEEP = "[" * 100_000 + "]" * 100_000
BINARY = bytes(range(256)) * 64


def _json(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def _entry(data: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = data["entries"]["demo@m1"]
    return entry


def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _directory(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.mkdir()


def _raw(text: str | bytes) -> Spoil:
    def write(path: Path) -> None:
        path.write_bytes(text if isinstance(text, bytes) else text.encode())

    return write


def _version(value: str) -> Spoil:
    """The lockfile's format number written as `value`."""

    def write(path: Path) -> None:
        text = path.read_text()
        start = text.index('"version": ') + len('"version": ')
        end = min(i for i in (text.find(",", start), text.find("\n", start)) if i >= 0)
        path.write_text(text[:start] + value + text[end:])

    return write


# ---------------------------------------------------------------------- lockfile

LOCKFILES: dict[str, tuple[Spoil, tuple[str, ...]]] = {
    "5000-digit version": (
        _version("9" * 5000),
        ("not valid JSON: a number with too many digits",),
    ),
    "NaN version": (_version("NaN"), ("not valid JSON: expected value",)),
    "100,000-deep nesting": (_raw(DEEP), ("not valid JSON: nested too deeply",)),
    "binary": (_raw(BINARY), ("is not valid UTF-8",)),
    "a directory": (_directory, ("cannot read the lockfile: it is a directory",)),
    "a FIFO": (_fifo, ("cannot read the lockfile: it is not a regular file",)),
    "a list": (_raw("[]"), ("expected a JSON object at the top level",)),
    "remote id climbing out": (
        lambda p: _json(p, lambda d: _entry(d).update(remote_id="../../../victim/delete-me?x=")),
        ("entry demo@m1: field remote_id: not a platform id",),
    ),
    "remote id of 20 MB": (
        lambda p: _json(p, lambda d: _entry(d).update(remote_id="a" * 20_000_000)),
        ("field remote_id: String should have at most 128 characters",),
    ),
    "not an address": (
        lambda p: _json(p, lambda d: d["entries"].update({"../../etc@m1": _entry(d)})),
        ("'../../etc@m1': not a resource address",),
    ),
    "deposed id climbing out": (
        lambda p: _json(p, lambda d: d["entries"].update({"demo@m1~../x": _entry(d)})),
        ("'demo@m1~../x':", "is not a platform id"),
    ),
    "entry at another address": (
        lambda p: _json(p, lambda d: d["entries"].update({"other@m1": _entry(d)})),
        ("entry other@m1: interview/target", "do not match its address"),
    ),
    "format from the future": (
        lambda p: _json(p, lambda d: d.update(version=10**400)),
        ("was written by a newer interform",),
    ),
}


@pytest.mark.parametrize("case", sorted(LOCKFILES))
def test_a_hostile_lockfile(case: str, tracked: Path) -> None:
    spoil, fragments = LOCKFILES[case]
    spoil(tracked / "interform.lock")
    where = str(tracked / "interform.lock")
    refused("lockfile", case, tracked, ("plan",), where, *fragments, alone=True)


def test_a_lockfile_linked_to_a_device_is_refused_unread(tracked: Path) -> None:
    (tracked / "interform.lock").unlink()
    (tracked / "interform.lock").symlink_to("/dev/zero")
    run = run_cli(tracked, "plan")
    record("lockfile", "a link to /dev/zero", run)
    assert_bounded(run)
    assert run.code == 1
    one_line_error(
        run, "interform.yaml:", "lockfile: 'interform.lock' resolves outside the project"
    )


def test_an_entry_whose_digest_is_not_its_request_is_reported_and_replanned(
    tracked: Path,
) -> None:
    """Text injected into the recorded request, digest left alone: "No changes" would
    hide it; the plan says so and sends the definition again."""

    def inject(data: dict[str, Any]) -> None:
        _entry(data)["request"]["custom_question_list"][0]["question"] = "INJECTED"

    _json(tracked / "interform.lock", inject)
    run = run_cli(tracked, "plan", "--detailed-exitcode")
    record("lockfile", "digest not its request's", run)
    assert_bounded(run)
    assert run.code == 2, run.output
    one_line_error(run, "entry demo@m1: its digest does not match its recorded request")
    one_line_error(run, '- #1 "INJECTED"')


# ---------------------------------------------------------------------- journal


def _journal(tracked: Path, *records: object) -> Path:
    lock = json.loads((tracked / "interform.lock").read_text())
    begin = {"t": "begin", "lineage": lock["lineage"]}
    lines = [json.dumps(r) if not isinstance(r, str) else r for r in (begin, *records)]
    path = tracked / "interform.lock.journal"
    path.write_text("\n".join(lines) + "\n")
    return path


ENTRY = {"interview": "x", "target": "m1", "provider": "micro1", "kind": "interview"}

JOURNALS: dict[str, tuple[tuple[object, ...], int, tuple[str, ...]]] = {
    "record without fields": (({"t": "intent"},), 2, ("intent record has no address",)),
    "address of the wrong type": (({"t": "removed", "address": 5},), 2, ("has no address",)),
    "not an object": (([1, 2], {"t": "removed", "address": "x@m1"}), 2, ("not a JSON object",)),
    "invalid address": (
        ({"t": "created", "address": "../x", "entry": {**ENTRY, "remote_id": "r1"}},),
        2,
        ("'../x': not a resource address",),
    ),
    "entry at another address": (
        ({"t": "created", "address": "y@m1", "entry": {**ENTRY, "remote_id": "r1"}},),
        2,
        ("entry y@m1: interview/target",),
    ),
    "entry with a hostile id": (
        ({"t": "created", "address": "x@m1", "entry": {**ENTRY, "remote_id": "../../v?x="}},),
        2,
        ("created 'x@m1': remote_id: String should match pattern",),
    ),
    "entry of the wrong type": (
        ({"t": "updated", "address": "x@m1", "entry": "yes"},),
        2,
        ("updated 'x@m1': entry:",),
    ),
    "move to nowhere": (({"t": "moved", "from": "demo@m1", "to": "/etc"},), 2, ("'/etc'",)),
    "unknown record type": (({"t": "rm -rf", "address": "x@m1"},), 2, ("unknown record type",)),
    "corrupt in the middle": (
        ("{not json", {"t": "removed", "address": "x@m1"}),
        2,
        ("not valid JSON",),
    ),
    "deep in the middle": ((DEEP, {"t": "removed", "address": "x@m1"}), 2, ("nested too deeply",)),
    "5000-digit number": (
        (
            '{"t":"removed","address":"x@m1","at":' + "9" * 5000 + "}",
            {"t": "removed", "address": "x@m1"},
        ),
        2,
        ("a number with too many digits",),
    ),
}


@pytest.mark.parametrize("case", sorted(JOURNALS))
def test_a_hostile_journal(case: str, tracked: Path) -> None:
    records, line, fragments = JOURNALS[case]
    path = _journal(tracked, *records)
    refused("journal", case, tracked, ("plan",), f"{path}:{line}:", *fragments, alone=True)


def _link_out(path: Path) -> None:
    """A link to a file outside the project that does not exist yet: a journal opened
    through it would write interform's records there."""
    path.unlink(missing_ok=True)
    path.symlink_to(path.parent.parent / "elsewhere.journal")


JOURNAL_FILES: dict[str, Spoil] = {
    "a directory": _directory,
    "a FIFO": _fifo,
    "binary": _raw(BINARY + b"\n" + BINARY),
    "a link out of the project": _link_out,
}


@pytest.mark.parametrize("kind", sorted(JOURNAL_FILES))
def test_a_journal_that_is_no_journal(kind: str, tracked: Path) -> None:
    path = tracked / "interform.lock.journal"
    path.write_bytes(b"")
    JOURNAL_FILES[kind](path)
    run = run_cli(tracked, "apply", "--auto-approve")
    record("journal", kind, run)
    assert_bounded(run)
    assert run.code == 1, run.output
    one_line_error(run, f"{path}", "journal")
    assert (tracked / "interform.lock").read_text().count('"demo@m1"') == 1
    assert not (tracked.parent / "elsewhere.journal").exists()


@pytest.mark.parametrize("kind", ["a FIFO", "a directory", "100,000-deep nesting"])
def test_a_damaged_cache_is_a_miss_not_a_hang(kind: str, tracked: Path) -> None:
    cache = tracked / ".interform" / "cache" / "definitions.json"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.unlink(missing_ok=True)
    {"a FIFO": _fifo, "a directory": _directory, "100,000-deep nesting": _raw(DEEP)}[kind](cache)
    run = run_cli(tracked, "plan")
    record("cache", kind, run)
    assert_bounded(run)
    assert run.code == 0, run.output


# ---------------------------------------------------------------------- saved plans


@pytest.fixture
def saved(tracked: Path) -> Path:
    """A saved plan that updates demo@m1 (its question edited since the apply)."""
    demo = tracked / "interviews" / "demo.yaml"
    demo.write_text(demo.read_text().replace("Why this job?", "Why this team?"))
    run = run_cli(tracked, "plan", "--out", "plan.json")
    assert run.code == 0, run.output
    return tracked / "plan.json"


def _apply_saved(root: Path, case: str) -> Run:
    run = run_cli(root, "apply", "plan.json", env={**os.environ, "NO_COLOR": "1"})
    record("saved plan", case, run)
    assert_bounded(run)
    assert run.code == 1, run.output
    return run


def _number(path: Path) -> None:
    text = path.read_text()
    path.write_text(re.sub(r'"format_version": \d+', '"format_version": ' + "9" * 5000, text))


def _injected(path: Path) -> None:
    """What an attacker does to a plain digest: edit, then recompute it."""
    from interform.digest import body_digest

    document = json.loads(path.read_text())
    change = document["plan"]["changes"][0]
    change["desired"]["body"]["custom_question_list"][0]["question"] = "INJECTED"
    document.pop("mac")
    document["digest"] = body_digest(document)
    path.write_text(json.dumps(document))


PLANS: dict[str, tuple[Spoil, tuple[str, ...]]] = {
    "5000-digit number": (_number, ("plan.json:", "a number with too many digits")),
    "100,000-deep nesting": (_raw(DEEP), ("plan.json:1:202: not valid JSON: nested too deeply",)),
    "binary": (_raw(BINARY), ("plan.json:2:118: byte 0x80 is not valid UTF-8",)),
    "a directory": (_directory, ("cannot read the saved plan: it is a directory",)),
    "a FIFO": (_fifo, ("cannot read the saved plan: it is not a regular file",)),
    "question injected, digest recomputed": (_injected, ("signature mismatch",)),
    "format 1 (a plain digest)": (
        lambda p: _json(p, lambda d: d.update(format_version=1)),
        ("without a signature",),
    ),
}


@pytest.mark.parametrize("case", sorted(PLANS))
def test_a_hostile_saved_plan(case: str, saved: Path) -> None:
    spoil, fragments = PLANS[case]
    spoil(saved)
    run = _apply_saved(saved.parent, case)
    one_line_error(run, "plan.json", *fragments)
    assert "INJECTED" not in (saved.parent / "interform.lock").read_text()


def test_a_plan_re_signed_with_the_key_still_sends_only_the_definitions(saved: Path) -> None:
    """Whoever holds the key can sign anything; apply re-derives every request from the
    definitions (unchanged since the plan: their digests say so) and refuses the rest."""
    from interform.plan.signing import plan_key, sign

    key = plan_key(saved.parent)
    assert key is not None

    def inject(document: dict[str, Any]) -> None:
        document["plan"]["changes"][0]["desired"]["body"]["interview_name"] = "INJECTED"
        document.pop("mac")
        document["mac"] = sign(key, document)

    _json(saved, inject)
    run = _apply_saved(saved.parent, "re-signed with the key")
    one_line_error(run, "stale plan: demo@m1: its request is not what its definition gives")


def test_a_plan_without_its_key_is_not_applied(saved: Path) -> None:
    (saved.parent / ".interform" / "plan.key").unlink()
    run = _apply_saved(saved.parent, "no key")
    one_line_error(run, "its signature cannot be checked here: there is no plan key")


def test_a_plan_signed_with_another_key(saved: Path) -> None:
    (saved.parent / ".interform" / "plan.key").write_text("another-key-0123456789abcdef\n")
    run = _apply_saved(saved.parent, "another key")
    one_line_error(run, "signed with another key (signature mismatch)")


@pytest.mark.parametrize("target", ["interform.yaml", "interform.lock", "interviews/demo.yaml"])
def test_plan_out_never_overwrites_interforms_files(target: str, tracked: Path) -> None:
    before = (tracked / target).read_bytes()
    run = run_cli(tracked, "plan", "--out", target)
    record("saved plan", f"--out {target}", run)
    assert_bounded(run)
    assert run.code == 1, run.output
    one_line_error(run, f"--out {target}", "save the plan to a file of its own")
    assert (tracked / target).read_bytes() == before
