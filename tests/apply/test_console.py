"""What apply prints without a terminal: a line per change, written as changes finish but
flushed in batches, and never behind a later error."""

from __future__ import annotations

import io
from pathlib import Path

from interform.apply.console import Console
from interform.apply.executor import APPLIED, FAILED, Outcome
from interform.apply.operations import Done
from interform.apply.tasks import CREATE, Task
from interform.lockfile.store import read_lockfile
from interform.model.identity import Identity
from interform.plan.model import Action, Change
from interform.workspace import SANDBOX_LOCKFILE
from project_files import BACKEND, run, write_project

from .support import JOBMOJITO_PROJECT, SUPPORT


class Log(io.StringIO):
    """One stream standing for a CI log: counts flushes, and keeps what was flushed."""

    def __init__(self) -> None:
        super().__init__()
        self.flushes = 0
        self.flushed = ""

    def flush(self) -> None:
        self.flushes += 1
        self.flushed = self.getvalue()


def outcome(i: int, status: str = APPLIED) -> Outcome:
    address = f"team/x{i}@micro1"
    change = Change(Identity.at(address, "micro1", "interview"), Action.CREATE)
    return Outcome(Task(address, change, CREATE, 0), status, "refused", Done(remote_id=f"r{i}"))


def test_change_lines_are_flushed_in_batches_and_all_by_the_end() -> None:
    out, err = Log(), Log()
    console = Console(out, err, bar=False)
    console.start(500)
    for i in range(499):
        console.progress(outcome(i))
    assert out.flushes < 50, "a flush per change line"
    console.progress(outcome(499))
    console.end_progress()
    assert out.flushed.count("\n") == 500
    assert out.flushed.splitlines()[-1] == "+ team/x499@micro1: created (r499)"


def test_a_message_on_stderr_comes_after_the_lines_before_it() -> None:
    out, err = Log(), Log()
    console = Console(out, err, bar=False)
    console.start(10)
    console.progress(outcome(0))
    console.progress(outcome(1))
    console.say("Stopped by SIGINT", err=True)
    assert out.flushed.count("\n") == 2


def test_failures_are_written_like_any_change() -> None:
    out = Log()
    console = Console(out, out, bar=False)
    console.start(2)
    console.progress(outcome(0, FAILED))
    console.progress(outcome(1))
    console.end_progress()
    assert out.flushed.splitlines() == [
        "+ team/x0@micro1: failed: refused",
        "+ team/x1@micro1: created (r1)",
    ]


def test_apply_labels_every_value_and_names_objects_without_a_link(tmp_path: Path) -> None:
    """An Instaview session's status and candidate id say what they are; a JobMojito
    interview, which has no link of its own, says where its links come from."""
    definitions = {"eng/backend": BACKEND, "support/screen": SUPPORT}
    root = write_project(tmp_path, JOBMOJITO_PROJECT, definitions)
    result = run(root, "apply", "--sandbox", "--auto-approve")
    assert result.exit_code == 0, result.output
    lock = read_lockfile(root / SANDBOX_LOCKFILE)
    assert lock is not None
    session = lock.entries["eng/backend@iv#smoke"]
    labels = f"candidate_id: {session.urls['candidate_id']}, status: {session.urls['status']}"
    lines = result.stdout.splitlines()
    assert f"+ eng/backend@iv#smoke: created ({session.remote_id}) {labels}" in lines
    assert f"  eng/backend@iv#smoke  {labels}" in lines
    screen = lock.entries["support/screen@jm"].remote_id
    assert (
        f"  support/screen@jm  id: {screen} (JobMojito makes each candidate's link when you "
        "invite them to this interview)"
    ) in lines
