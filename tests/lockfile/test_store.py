"""The lockfile on disk: deterministic, validated, upgraded, atomic."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

from interform import __version__
from interform.errors import UserError
from interform.lockfile.model import FORMAT_VERSION, Entry, Lockfile, Pending
from interform.lockfile.store import (
    dumps_lockfile,
    entry_digest,
    new_lockfile,
    read_lockfile,
    write_lockfile,
)

TESTDATA = Path(__file__).resolve().parent.parent / "testdata" / "lockfiles"


def entry(interview: str = "engineering/backend", target: str = "micro1", **extra: object) -> Entry:
    values: dict[str, object] = {
        "interview": interview,
        "target": target,
        "provider": "micro1",
        "kind": "interview",
        "remote_id": "r-1",
        "request": {"interview_name": "Backend"},
        **extra,
    }
    return Entry.model_validate(values)


def sample() -> Lockfile:
    lock = new_lockfile()
    lock.entries["engineering/backend@micro1"] = entry()
    lock.entries["a/b@micro1"] = entry(
        "a/b", remote_id=None, pending=[Pending(op="create", started_at="t")]
    )
    return lock


def test_absent_lockfile_reads_as_none(tmp_path: Path) -> None:
    assert read_lockfile(tmp_path / "interform.lock") is None


def test_round_trip_keeps_everything_and_rewrites_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "interform.lock"
    lock = sample()
    written = write_lockfile(path, lock)
    assert written == lock
    assert read_lockfile(path) == written
    before = path.read_bytes()
    write_lockfile(path, written)
    # nothing changes on a write that changes no entry: no counter, no tool version, so
    # two branches that each wrote it merge without touching the same lines
    assert path.read_bytes() == before
    assert __version__ not in before.decode()


def test_text_is_deterministic_sorted_and_omits_defaults(tmp_path: Path) -> None:
    lock = sample()
    shuffled = lock.model_copy(update={"entries": dict(reversed(list(lock.entries.items())))})
    assert dumps_lockfile(lock) == dumps_lockfile(shuffled)
    text = dumps_lockfile(lock)
    assert text.endswith("}\n") and text.count('\n  "') == 3  # three header keys
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert list(data["entries"]) == sorted(data["entries"])
    backend = data["entries"]["engineering/backend@micro1"]
    assert "protect" not in backend and "pending" not in backend and "urls" not in backend
    assert data["version"] == FORMAT_VERSION and set(data) == {"version", "lineage", "entries"}


def test_write_is_atomic_and_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "interform.lock"
    write_lockfile(path, sample())
    os.chmod(path, 0o640)
    write_lockfile(path, sample())
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["interform.lock"]


def test_new_lockfile_is_world_readable(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "interform.lock"
    write_lockfile(path, new_lockfile())
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_json_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "interform.lock"
    path.write_text('{\n  "version": 2,\n  "lineage": "x",,\n}\n')
    with pytest.raises(UserError) as err:
        read_lockfile(path)
    (line,) = err.value.lines()
    assert line.startswith(f"{path}:3:18: not valid JSON")
    assert f"`git -C {tmp_path} checkout -- interform.lock`" in line


def test_schema_errors_name_entry_and_field_all_at_once(tmp_path: Path) -> None:
    path = tmp_path / "interform.lock"
    write_lockfile(path, sample())
    data = json.loads(path.read_text())
    data["entries"]["engineering/backend@micro1"]["protect"] = "yes please"
    data["entries"]["a/b@micro1"]["provider"] = "workday"
    path.write_text(json.dumps(data, indent=2, sort_keys=True))
    before = path.read_bytes()
    with pytest.raises(UserError) as err:
        read_lockfile(path)
    lines = err.value.lines()
    assert len(lines) == 2
    assert any("entry engineering/backend@micro1: field protect" in x for x in lines)
    assert any("entry a/b@micro1: field provider" in x for x in lines)
    line_of_backend = path.read_text().splitlines().index('    "engineering/backend@micro1": {') + 1
    assert any(x.startswith(f"{path}:{line_of_backend}:1:") for x in lines)
    assert path.read_bytes() == before


def test_address_must_match_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "interform.lock"
    lock = sample()
    lock.entries["Not An Address"] = entry(remote_id="r-2")
    lock.entries["x/y@micro1"] = entry(remote_id="r-3")  # its fields say engineering/backend
    lock.entries["engineering/backend@micro1~old-id"] = entry(remote_id="old-id")  # deposed
    path.write_text(dumps_lockfile(lock))
    with pytest.raises(UserError) as err:
        read_lockfile(path)
    lines = err.value.lines()
    assert len(lines) == 2
    assert any("'Not An Address': not a resource address" in x for x in lines)
    assert any("entry x/y@micro1: interview/target" in x for x in lines)


def test_newer_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "interform.lock"
    path.write_text(json.dumps({"version": FORMAT_VERSION + 1, "entries": {"anything": 1}}))
    with pytest.raises(UserError) as err:
        read_lockfile(path)
    assert f"lockfile format {FORMAT_VERSION + 1} was written by a newer interform" in str(
        err.value
    )
    assert "upgrade interform" in str(err.value)


@pytest.mark.parametrize("version", [None, "2", 0, True])
def test_missing_or_odd_version_is_an_error(tmp_path: Path, version: object) -> None:
    path = tmp_path / "interform.lock"
    path.write_text(json.dumps({"version": version, "lineage": "x"}))
    with pytest.raises(UserError, match="`version` must be a format number"):
        read_lockfile(path)


def test_format_1_is_upgraded_on_read(tmp_path: Path) -> None:
    lock = read_lockfile(TESTDATA / "v1.lock")
    assert lock is not None and lock.version == FORMAT_VERSION
    assert lock.lineage == "0b9d6c2e-1f4a-4e7b-8c3d-5a6f7e8d9c0b"
    assert sorted(lock.entries) == [
        "engineering/backend@micro1",
        "support/agent-screen@instaview#smoke",
    ]
    session = lock.entries["support/agent-screen@instaview#smoke"]
    assert session.protect and session.parent == "support/agent-screen@instaview"
    # written back in the current format, entries keyed by address
    path = tmp_path / "interform.lock"
    write_lockfile(path, lock)
    data = json.loads(path.read_text())
    assert data["version"] == FORMAT_VERSION and "serial" not in data
    assert "address" not in data["entries"]["engineering/backend@micro1"]


def test_format_2_is_read_without_its_write_counter(tmp_path: Path) -> None:
    lock = sample()
    v2 = json.loads(dumps_lockfile(lock))
    v2.update(version=2, serial=41, interform_version="0.0.9")
    path = tmp_path / "interform.lock"
    path.write_text(json.dumps(v2, indent=2))
    assert read_lockfile(path) == lock


def test_format_1_with_duplicate_or_missing_addresses(tmp_path: Path) -> None:
    v1 = json.loads((TESTDATA / "v1.lock").read_text())
    v1["entries"].append(dict(v1["entries"][0]))
    v1["entries"].append({"interview": "x"})
    path = tmp_path / "interform.lock"
    path.write_text(json.dumps(v1))
    with pytest.raises(UserError) as err:
        read_lockfile(path)
    text = str(err.value)
    assert "lists engineering/backend@micro1 twice" in text and "#4 has no `address`" in text


def test_entry_digest_is_stable_and_sensitive() -> None:
    a, b = entry(), entry()
    assert entry_digest(a) == entry_digest(b)
    assert entry_digest(a) != entry_digest(entry(remote_id="r-2"))
    assert entry_digest(a) != entry_digest(entry(protect=True))


def test_ten_thousand_entries_read_fast(tmp_path: Path) -> None:
    lock = new_lockfile()
    for n in range(10_000):
        address = f"team-{n // 100:03d}/screen-{n:05d}"
        lock.entries[f"{address}@micro1"] = entry(
            address,
            remote_id=f"r-{n}",
            request={"interview_name": f"Screen {n}", "skills": [{"name": "Python"}] * 5},
            digest=f"sha256:{n:064x}",
            urls={"invite_url": f"https://interview.micro1.ai/intro/micro1?uid={n}"},
        )
    path = tmp_path / "interform.lock"
    write_lockfile(path, lock)
    started = time.perf_counter()
    read = read_lockfile(path)
    elapsed = time.perf_counter() - started
    assert read is not None and len(read.entries) == 10_000
    assert elapsed < 1.5, f"reading 10,000 entries took {elapsed:.2f}s"


def test_a_key_given_twice_is_refused_at_both_lines(tmp_path: Path) -> None:
    """A merge or a hand edit can repeat a key; a JSON parser would keep the last one
    silently, losing the other entry's object."""
    path = tmp_path / "interform.lock"
    lock = sample()
    lock.entries["a/b@micro1"] = entry("a/b", remote_id="r-2")
    lines = dumps_lockfile(lock).splitlines()
    start = lines.index('    "a/b@micro1": {')
    end = lines.index("    },", start)
    doubled = [*lines[: end + 1], *lines[start : end + 1], *lines[end + 1 :]]
    inner = doubled.index('      "remote_id": "r-2",')
    doubled.insert(inner + 1, '      "remote_id": "r-9",')  # and a field twice in the first
    path.write_text("\n".join(doubled) + "\n")
    with pytest.raises(UserError) as err:
        read_lockfile(path)
    got = err.value.lines()
    assert len(got) == 2
    again = end + 3  # the second copy of the entry, one line further down (the insert)
    assert got[0].startswith(
        f'{path}:{inner + 2}:1: key "remote_id" appears twice in entries.a/b@micro1 '
        f"(first on line {inner + 1})"
    )
    assert got[1].startswith(
        f'{path}:{again}:1: key "a/b@micro1" appears twice in entries (first on line {start + 1})'
    )
    assert "keep the right one: restore interform.lock from git" in got[1]


def test_a_key_given_twice_in_another_layout_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "interform.lock"
    data = json.loads(dumps_lockfile(sample()))
    text = json.dumps(data, separators=(",", ":"))
    lineage = f'"lineage":{json.dumps(data["lineage"])}'
    path.write_text(text.replace(lineage, f'{lineage},"lineage":"another"'))
    with pytest.raises(UserError, match='key "lineage" appears twice in one object'):
        read_lockfile(path)


def test_one_remote_object_tracked_at_two_addresses_is_refused_naming_both(
    tmp_path: Path,
) -> None:
    path = tmp_path / "interform.lock"
    lock = sample()
    lock.entries["x/y@micro1"] = entry("x/y")  # also r-1, like engineering/backend
    lock.entries["x/z@micro1"] = entry("x/z")
    lock.entries["x/session@micro1"] = entry("x/session", remote_id="r-7")
    path.write_text(dumps_lockfile(lock))
    with pytest.raises(UserError) as err:
        read_lockfile(path)
    got = err.value.lines()
    text = path.read_text().splitlines()
    line = {a: text.index(f"    {json.dumps(a)}: {{") + 1 for a in ("x/y@micro1", "x/z@micro1")}
    assert got == [
        f"{path}:{line[a]}:1: {a} and engineering/backend@micro1 track the same remote "
        f"object r-1 — an object belongs to one address: `interform state rm {a}` (or "
        "`interform state rm engineering/backend@micro1`) keeps it at the other one, and the "
        "next plan creates the one removed anew; or restore interform.lock from git"
        for a in ("x/y@micro1", "x/z@micro1")
    ]
    # the repair command reads it
    assert read_lockfile(path, shared_ok=True) is not None
    # the same id on another platform or kind is another object
    lock.entries.pop("x/y@micro1")
    lock.entries.pop("x/z@micro1")
    other = entry("x/y", provider="instaview", kind="agent", target="iv")
    lock.entries["x/y@iv"] = other
    path.write_text(dumps_lockfile(lock))
    assert read_lockfile(path) is not None
