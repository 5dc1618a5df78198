"""Connections and the remote reader: credentials checked up front, the sandbox needs
none, reads come back from the emulators."""

from __future__ import annotations

from pathlib import Path

import pytest

from interform.apply.connect import connect
from interform.apply.remote import reader_for
from interform.errors import UserError
from interform.lockfile.applied import entry_from_desired
from interform.lockfile.model import Entry, Pending
from interform.workspace import PendingCreate, open_workspace

from .support import make_project


def test_every_missing_credential_is_named_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("MICRO1_API_KEY", "INSTAVIEW_API_KEY", "VERSIVE_API_KEY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("VERSIVE_API_KEY", "vs-key-123456")
    ws = open_workspace(make_project(tmp_path))
    with pytest.raises(UserError) as err:
        connect(ws, ["micro1", "iv", "vs"])
    lines = err.value.lines()
    assert len(lines) == 2
    assert lines[0].startswith("interform.yaml:3:3: target 'micro1' needs a credential")
    assert lines[1].startswith("interform.yaml:5:3: target 'iv' needs a credential")
    assert "INSTAVIEW_API_KEY is not set — export INSTAVIEW_API_KEY=" in lines[1]


def test_sandbox_needs_no_credential_and_reads_back_what_it_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MICRO1_API_KEY", raising=False)
    ws = open_workspace(make_project(tmp_path), sandbox=True)
    res = next(r for r in ws.desired if r.address == "eng/frontend@micro1")
    with connect(ws, ["micro1"]) as connections:
        applied = connections["micro1"].create(res, "interform:demo:x", None)
    entry = entry_from_desired(res, remote_id=applied.remote_id, parent_remote_id=None, now="t")
    gone = entry.model_copy(update={"remote_id": "00000000-0000-4000-8000-000000000000"})
    reader = reader_for(ws)
    states = reader.read({res.address: entry, "gone@micro1": gone})
    state = states[res.address]
    assert state is not None and state.body == dict(res.body)
    assert states["gone@micro1"] is None


def test_a_pending_create_is_found_by_what_was_sent(tmp_path: Path) -> None:
    ws = open_workspace(make_project(tmp_path), sandbox=True)
    res = next(r for r in ws.desired if r.address == "eng/frontend@micro1")
    with connect(ws, ["micro1"]) as connections:
        made = connections["micro1"].create(res, "interform:demo:x", None)
    op = Pending(op="create", started_at="2026-01-01T00:00:00Z", request=dict(res.body))
    entry = Entry(
        interview=res.interview, target="micro1", provider="micro1", kind="interview", pending=[op]
    )
    reader = reader_for(ws)
    found = reader.resolve([PendingCreate(res.address, entry, None)])[res.address]
    assert (found.status, found.remote_id) == ("found", made.remote_id)
    # once the object is tracked elsewhere it can no longer be the one looked for
    tracked = entry.model_copy(update={"remote_id": made.remote_id, "pending": []})
    reader.tracked = {"other@micro1": tracked}
    again = reader.resolve([PendingCreate(res.address, entry, res)])[res.address]
    assert again.status == "absent"
