"""Adopting what an interrupted apply made is one-to-one and provably ours: identical
definitions never share an object, another project's interview made before the attempt
is never adopted, and what cannot be told apart blocks with the commands to settle it."""

from __future__ import annotations

import io
import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

from interform.apply.connect import Connections
from interform.apply.console import Console
from interform.apply.remote import PlatformReader
from interform.apply.run import ApplyRequest, run_apply
from interform.lockfile.model import Entry, Pending
from interform.lockfile.store import new_lockfile, write_lockfile
from interform.plan.model import Action
from interform.providers.base import make_marker
from interform.sandbox import Faults
from interform.sandbox.inprocess import emulator_transport
from interform.sandbox.micro1 import Micro1
from interform.workspace import SANDBOX_LOCKFILE, build_plan, open_workspace
from project_files import FRONTEND, run, write_project

from .support import Tap, apply_with, remote_objects, sandbox_lock
from .test_state_support import interrupt

MICRO1 = """\
project: {name}
targets:
  micro1:
    provider: micro1
"""
T0 = datetime(2026, 11, 23, 10, 0, 0, tzinfo=timezone.utc)


def identical(root: Path, count: int) -> Path:
    screens = {f"team/screen-{n:02d}": FRONTEND for n in range(count)}
    return write_project(root, MICRO1.format(name="demo"), screens)


def interrupted(root: Path, addresses: list[str]) -> list[str]:
    """What a killed apply leaves: creates of `addresses` pending. Their ids."""
    return [interrupt(root, address) for address in addresses]


def micro1_ids(root: Path) -> list[str]:
    objects = remote_objects(root).get(("micro1", "micro1"), {})
    return sorted(key.split("/", 1)[1] for key in objects)


def delete_on_micro1(root: Path, remote_ids: list[str]) -> None:
    from .test_refresh import dashboard

    with dashboard(root, "micro1", "micro1") as micro1:
        for remote_id in remote_ids:
            micro1.delete(f"/interview/{remote_id}").raise_for_status()


def test_identical_definitions_never_share_the_one_interview_that_was_made(
    tmp_path: Path,
) -> None:
    """Item 1: 40 identical definitions, an apply killed with three creates in flight,
    one of which reached micro1; the rerun used to adopt it three times."""
    root = identical(tmp_path, 40)
    assert apply_with(root)[0] == 0
    addresses = [f"team/screen-{n:02d}@micro1" for n in (7, 21, 33)]
    made, *lost = interrupted(root, addresses)
    delete_on_micro1(root, lost)
    code, output = apply_with(root)
    assert code == 0, output
    lock = sandbox_lock(root)
    ids = [e.remote_id for e in lock.entries.values()]
    assert len(ids) == 40 and len(set(ids)) == 40 and None not in ids
    assert made in ids
    assert micro1_ids(root) == sorted(i or "" for i in ids)  # nothing untracked
    assert json.loads(run(root, "plan", "--sandbox", "--json").stdout)["changes"] == []


def test_refresh_settles_identical_creates_one_to_one(tmp_path: Path) -> None:
    root = identical(tmp_path, 6)
    assert apply_with(root)[0] == 0
    addresses = [f"team/screen-{n:02d}@micro1" for n in range(3)]
    made, *lost = interrupted(root, addresses)
    delete_on_micro1(root, lost)
    result = run(root, "refresh", "--sandbox")
    assert result.exit_code == 0, result.output
    assert result.stdout.count(f"recorded as {made}") == 1
    assert result.stdout.count("an interrupted create did not happen") == 2
    ids = [e.remote_id for e in sandbox_lock(root).entries.values() if e.remote_id]
    assert len(ids) == len(set(ids)) == 4


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.now = moment.timestamp()

    def __call__(self) -> float:
        return self.now


def staging_with_a_pending_create(root: Path, started: datetime) -> Path:
    """The staging project, whose create of eng/frontend never reached micro1."""
    write_project(root, MICRO1.format(name="staging"), {"eng/frontend": FRONTEND})
    (res,) = open_workspace(root, sandbox=True).desired
    marker = make_marker("staging", res.address)
    op = Pending(
        op="create",
        started_at=started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        marker=marker,
        digest=res.digest,
        request=dict(res.body),
    )
    lock = new_lockfile()
    lock.entries[res.address] = Entry(
        interview=res.interview,
        target=res.target,
        provider="micro1",
        kind="interview",
        marker=marker,
        pending=[op],
    )
    write_lockfile(root / SANDBOX_LOCKFILE, lock)
    return root


def test_another_projects_identical_interview_is_never_adopted(tmp_path: Path) -> None:
    """Item 2: prod and staging share a micro1 key and a definition. Staging's create
    never reached micro1; its rerun used to adopt prod's interview (and a later
    `staging destroy` deleted it)."""
    clock = Clock(T0)
    micro1 = Micro1(tmp_path / "account", clock=clock)

    def shared(provider: str, target: str) -> httpx.BaseTransport:
        return emulator_transport(micro1, Faults())

    prod = write_project(tmp_path / "prod", MICRO1.format(name="prod"), {"eng/frontend": FRONTEND})
    out = io.StringIO()
    request = ApplyRequest(sandbox=True, auto_approve=True, transport=shared)
    assert run_apply(request, Console(out, out, bar=False), start=prod) == 0, out.getvalue()
    prod_id = sandbox_lock(prod).entries["eng/frontend@micro1"].remote_id

    def staging_plan(started: datetime) -> Action:
        root = staging_with_a_pending_create(tmp_path / f"staging-{started:%H%M%S}", started)
        ws = open_workspace(root, sandbox=True)
        assert ws.lock is not None
        later = Clock(started + timedelta(hours=1))
        with Connections(ws, transport=shared) as connections:
            reader = PlatformReader(connections, ws.lock.entries, clock=later)
            (change,) = build_plan(ws, reader=reader, refresh=False).changes
        assert change.prior is None or change.prior.remote_id != prod_id
        return change.action

    # made ten minutes after prod's interview: prod's cannot be its result
    assert staging_plan(T0 + timedelta(minutes=10)) is Action.CREATE
    # made seconds after it: the clocks could be apart, so it cannot be told: blocked
    assert staging_plan(T0 + timedelta(seconds=20)) is Action.BLOCKED


def test_a_create_that_lands_after_its_answer_was_lost_is_adopted_not_made_twice(
    tmp_path: Path,
) -> None:
    """Item 8's cause: a platform may finish a create after its client gave up. Looking
    for it too soon proves nothing; the rerun waits until it can no longer land."""
    project = MICRO1.format(name="demo") + "    timeout: 1.0\n"
    root = write_project(tmp_path, project, {"eng/frontend": FRONTEND})
    tap = Tap(root, late=1.5)
    tap.rules.append(lambda _, r: "late" if r.method == "POST" else None)
    code, output = apply_with(root, tap)
    assert code == 1 and "eng/frontend@micro1: uncertain" in output
    assert micro1_ids(root) == []  # not landed yet
    started = time.monotonic()
    code, output = apply_with(root)
    assert code == 0, output
    assert "Waiting " in output and "the platform may still be making them" in output
    assert time.monotonic() - started >= 1.5
    (landed,) = micro1_ids(root)
    assert sandbox_lock(root).entries["eng/frontend@micro1"].remote_id == landed
    for thread in tap.landing:
        thread.join()
