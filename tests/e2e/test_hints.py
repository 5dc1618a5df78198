"""Every hint interform prints is a command that works: run with `-C DIR` (from another
directory), against the sandbox or with a lockfile at a non-default path, the suggested
command repeats what it needs, and running it exactly as printed does what it says.

Each test runs the installed `interform` in real processes, takes the hint from what it
printed, and runs that hint (its `interform` is the installed script, as in a shell)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from interform.lockfile.lock import ApplyLock, lock_path
from interform.lockfile.store import new_lockfile, write_lockfile
from interform.workspace import SANDBOX_LOCKFILE
from project_files import FRONTEND, write_project

pytestmark = pytest.mark.slow

INTERFORM = str(Path(sys.executable).with_name("interform"))
PROJECT = """\
project: hints
lockfile: state/main.lock
targets:
  micro1:
    provider: micro1
"""


def interform(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run([INTERFORM, *args], cwd)


def run_hint(hint: str, cwd: Path, **fill: str) -> subprocess.CompletedProcess[str]:
    """Run a printed command as a shell would, placeholders filled in."""
    argv = [fill.get(word, word) for word in shlex.split(hint)]
    if argv[0] == "interform":
        argv[0] = INTERFORM
    return _run(argv, cwd)


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("INTERFORM_SANDBOX", "NO_COLOR")}
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def hint(text: str, starts: str = "interform ") -> str:
    """The one command in backquotes (or after `run:`) that starts with `starts`."""
    found: list[str] = [h for h in re.findall(r"`([^`]+)`|run: (.+)$", text, re.M) for h in h if h]
    commands = [h for h in found if h.startswith(starts)]
    assert len(set(commands)) == 1, (starts, text)
    return commands[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """`tmp_path/proj`, run from `tmp_path` with -C proj; applied to the sandbox."""
    root = write_project(tmp_path / "proj", PROJECT, {"eng/frontend": FRONTEND})
    done = interform("-C", "proj", "apply", "--sandbox", "--auto-approve", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return root


def test_approval_hint_repeats_dir_selection_and_sandbox(project: Path) -> None:
    (project / "interviews/eng/frontend.yaml").write_text(FRONTEND.replace("Frontend", "Web"))
    cwd = project.parent
    refused = interform("-C", "proj", "apply", "--sandbox", "--target=eng/*", cwd=cwd)
    assert refused.returncode == 4
    again = hint(refused.stderr, "interform -C proj apply")
    assert again == "interform -C proj apply '--target=eng/*' --auto-approve --sandbox"
    saved = hint(refused.stderr, "interform -C proj plan")
    assert saved == "interform -C proj plan '--target=eng/*' --out FILE --sandbox"
    done = run_hint(again, cwd)
    assert done.returncode == 0, done.stderr
    assert "1 updated" in done.stdout
    assert not (project / "state" / "main.lock").exists()  # only the sandbox was touched


def test_a_saved_sandbox_plan_applies_against_the_sandbox(project: Path) -> None:
    (project / "interviews/eng/frontend.yaml").write_text(FRONTEND.replace("Frontend", "Web"))
    cwd = project.parent
    made = interform("-C", "proj", "plan", "--sandbox", "--out", "web.plan", cwd=cwd)
    assert made.returncode == 0, made.stderr
    assert hint(made.stderr) == "interform -C proj apply web.plan --sandbox"
    plain = interform("-C", "proj", "apply", "web.plan", cwd=cwd)  # no --sandbox needed
    assert plain.returncode == 0, plain.stderr
    assert "against the sandbox" in plain.stdout and "1 updated" in plain.stdout
    assert not (project / "state" / "main.lock").exists()
    real = interform("-C", "proj", "plan", "--out", "real.plan", cwd=cwd)
    assert real.returncode == 0, real.stderr
    wrong = interform("-C", "proj", "apply", "real.plan", "--sandbox", cwd=cwd)
    assert wrong.returncode == 1
    assert "the plan was made against the real platforms, not the sandbox" in wrong.stderr


def test_force_unlock_hint_breaks_the_sandbox_lock(project: Path) -> None:
    crash = (
        "import sys, os; from pathlib import Path; from interform.lockfile.lock import ApplyLock;"
        "ApplyLock(Path(sys.argv[1]), 'apply').acquire(); os._exit(0)"
    )
    lockfile = project / SANDBOX_LOCKFILE
    subprocess.run([sys.executable, "-c", crash, str(lockfile)], check=True)
    # taken on another machine, its lease run out: stale, and only a person may break it
    # (a holder proven dead on this machine is broken by the next command by itself)
    held_at = lock_path(lockfile)
    data = json.loads(held_at.read_text())
    held_at.write_text(json.dumps({**data, "host": "ci-runner-7", "lease": 0, "lease_until": 0}))
    cwd = project.parent
    held = interform("-C", "proj", "apply", "--sandbox", "--auto-approve", cwd=cwd)
    assert held.returncode == 1
    unlock = hint(held.stderr)
    assert re.fullmatch(r"interform -C proj force-unlock [0-9a-f-]+ --sandbox", unlock), unlock
    assert run_hint(unlock, cwd).returncode == 0
    assert interform("-C", "proj", "apply", "--sandbox", "--auto-approve", cwd=cwd).returncode == 0
    ApplyLock(lockfile, "apply").acquire()  # free again, and nothing was left behind


def test_state_list_hint_lists_the_sandbox_lockfile(project: Path) -> None:
    cwd = project.parent
    missing = interform("-C", "proj", "state", "show", "eng/nope@micro1", "--sandbox", cwd=cwd)
    assert missing.returncode == 1
    listing = hint(missing.stderr)
    assert listing == "interform -C proj state list --sandbox"
    done = run_hint(listing, cwd)
    assert (done.returncode, done.stdout) == (0, "eng/frontend@micro1\n")
    replace = interform("-C", "proj", "plan", "--sandbox", "-replace=eng/nope@micro1", cwd=cwd)
    assert replace.returncode == 1 and hint(replace.stderr) == listing


def test_import_hint_of_a_blocked_create_settles_it(project: Path) -> None:
    """An interrupted create the plan cannot decide: its `run:` line, filled in with the
    object's id, imports it and the plan goes on."""
    lockfile = project / SANDBOX_LOCKFILE
    data = json.loads(lockfile.read_text())
    entry = data["entries"]["eng/frontend@micro1"]
    remote_id = entry.pop("remote_id")
    entry["pending"] = [
        {"op": "create", "started_at": "2026-11-23T10:00:00Z", "request": entry["request"]}
    ]
    lockfile.write_text(json.dumps(data))
    cwd = project.parent
    blocked = interform("-C", "proj", "plan", "--sandbox", cwd=cwd)
    assert blocked.returncode == 0, blocked.stderr
    refresh = hint(blocked.stdout, "interform -C proj plan")
    assert refresh == "interform -C proj plan --refresh --sandbox"
    command = hint(blocked.stdout, "interform -C proj import")
    assert command == "interform -C proj import eng/frontend@micro1 REMOTE_ID --sandbox"
    done = run_hint(command, cwd, REMOTE_ID=remote_id)
    assert done.returncode == 0, done.stderr
    after = interform("-C", "proj", "plan", "--sandbox", "--detailed-exitcode", cwd=cwd)
    assert after.returncode == 0, after.stdout


def test_restore_hint_restores_a_lockfile_at_a_non_default_path(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", PROJECT, {"eng/frontend": FRONTEND})
    lockfile = root / "state" / "main.lock"
    lockfile.parent.mkdir()
    write_lockfile(lockfile, new_lockfile())  # a lockfile as apply leaves it, committed
    for git in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *git],
            cwd=root,
            check=True,
        )
    lockfile.write_text('{"version": 2, "entries": ')  # cut short by a bad merge
    broken = interform("-C", "proj", "plan", cwd=tmp_path)
    assert broken.returncode == 1
    restore = hint(broken.stderr, "git ")
    assert restore == "git -C proj/state checkout -- main.lock"
    assert run_hint(restore, tmp_path).returncode == 0
    assert interform("-C", "proj", "plan", cwd=tmp_path).returncode == 0


def test_reset_hint_repairs_a_broken_sandbox_lockfile(project: Path) -> None:
    (project / SANDBOX_LOCKFILE).write_text("not json")
    cwd = project.parent
    broken = interform("-C", "proj", "plan", "--sandbox", cwd=cwd)
    assert broken.returncode == 1
    reset = hint(broken.stderr)
    assert reset == "interform -C proj sandbox reset"
    assert run_hint(reset, cwd).returncode == 0
    again = interform("-C", "proj", "plan", "--sandbox", cwd=cwd)
    assert again.returncode == 0 and "1 to create" in again.stdout
