"""The commands that settle what apply could not keep every object tracked and plan no
change when the object matches its definition (item 6 of issue 14): importing an
Instaview session whose candidate and job the definition creates inline, importing an
embedded JobMojito interview, and a lockfile rebuilt by `refresh` from the ownership
markers of JobMojito interviews with messages the platform never returns."""

from __future__ import annotations

import json
from pathlib import Path

from interform.lockfile.store import write_lockfile
from interform.workspace import SANDBOX_LOCKFILE
from project_files import BACKEND, FOUR_TARGETS, SUPPORT, run, write_project

from .support import apply_with, sandbox_lock

EMBEDDED = SUPPORT.replace(
    "jobmojito:\n",
    "jobmojito:\n  welcome_message: Welcome to Acme!\n  thank_you_message: Thanks, we will write.\n"
    "  embed:\n    enabled: true\n",
)


def applied(tmp_path: Path, **definitions: str) -> Path:
    root = write_project(tmp_path, FOUR_TARGETS, definitions)
    code, output = apply_with(root)
    assert code == 0, output
    return root


def changes(root: Path) -> list[tuple[str, str]]:
    plan = json.loads(run(root, "plan", "--sandbox", "--json").stdout)
    return [(c["address"], c["action"]) for c in plan["changes"]]


def forget(root: Path, *addresses: str) -> dict[str, str]:
    """Stop tracking `addresses` (the objects stay): their ids."""
    lock = sandbox_lock(root)
    ids = {a: str(lock.entries.pop(a).remote_id) for a in addresses}
    write_lockfile(root / SANDBOX_LOCKFILE, lock)
    return ids


def test_importing_an_instaview_session_with_inline_candidate_and_job_plans_nothing(
    tmp_path: Path,
) -> None:
    root = applied(tmp_path, **{"eng/backend": BACKEND})
    session = "eng/backend@iv#smoke"
    ids = forget(root, session)
    result = run(root, "import", "--sandbox", session, ids[session])
    assert result.exit_code == 0, result.output
    assert changes(root) == []
    entries = sandbox_lock(root).entries
    recorded = entries[session].request or {}
    assert recorded["candidateId"] == entries[f"{session}:candidate"].remote_id
    assert recorded["jobId"] == entries["eng/backend@iv#:job"].remote_id


def test_importing_a_session_whose_candidate_changed_updates_only_the_candidate(
    tmp_path: Path,
) -> None:
    root = applied(tmp_path, **{"eng/backend": BACKEND})
    session = "eng/backend@iv#smoke"
    ids = forget(root, session)
    backend = (root / "interviews/eng/backend.yaml").read_text()
    (root / "interviews/eng/backend.yaml").write_text(
        backend.replace("recruiting+smoke@", "recruiting+other@")
    )
    assert run(root, "import", "--sandbox", session, ids[session]).exit_code == 0
    assert changes(root) == [(f"{session}:candidate", "update")]


def test_importing_an_embedded_jobmojito_interview_plans_nothing(tmp_path: Path) -> None:
    root = applied(tmp_path, **{"support/screen": EMBEDDED})
    ids = forget(root, "support/screen@jm")
    result = run(root, "import", "--sandbox", "support/screen@jm", ids["support/screen@jm"])
    assert result.exit_code == 0, result.output
    embed_key = f"interform -C {root} embed-key support/screen@jm --sandbox"
    assert f"`{embed_key}` fetches its embed id" in result.stdout
    assert changes(root) == []


def test_a_lockfile_rebuilt_by_refresh_plans_nothing_for_what_cannot_be_read_back(
    tmp_path: Path,
) -> None:
    root = applied(tmp_path, **{"support/screen": EMBEDDED})
    made = sandbox_lock(root).entries["support/screen@jm"].remote_id
    (root / SANDBOX_LOCKFILE).unlink()  # lost: the CI runner's disk went with the job
    result = run(root, "refresh", "--sandbox")
    assert result.exit_code == 0, result.output
    assert f"+ support/screen@jm: found by its ownership marker as {made}" in result.stdout
    assert changes(root) == []
