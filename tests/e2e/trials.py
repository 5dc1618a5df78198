"""kill -9 trials shared by the crash test and the soak: a project on all four platforms,
a change to make (create, update, replace, delete or destroy), an `interform apply` (or
`destroy`) against `interform sandbox serve` killed with SIGKILL on an observed event —
its lock taken, or the k-th record of its journal written — then applied again until it
converges, as an operator would. Each trial is audited against the emulators' state."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interform.lockfile.journal import with_journal
from interform.lockfile.lock import lock_path
from interform.lockfile.model import Entry
from interform.lockfile.store import journal_path, read_lockfile
from project_files import INLINE_JOB, backend, write_definition

from .harness import (
    MANAGED,
    TARGETS,
    Convergence,
    Served,
    cli,
    converge,
    dashboard,
    environment,
    make_project,
    start,
)

SCENARIOS = ("create", "update", "replace", "delete", "destroy")
TIMEOUT = 3.0  # the targets' request timeout: lost creates settle this long after


@dataclass
class Audit:
    """The lockfile against what the emulators hold, once a trial converged."""

    duplicates: list[str] = field(default_factory=list)  # a second object for an address
    untracked: list[str] = field(default_factory=list)  # live, tracked by no entry
    shared: list[str] = field(default_factory=list)  # addresses sharing one remote id
    missing: list[str] = field(default_factory=list)  # tracked, gone from the platform

    def problems(self) -> list[str]:
        return [
            *(f"duplicate {d}" for d in self.duplicates),
            *(f"untracked {u}" for u in self.untracked),
            *(f"shared id {s}" for s in self.shared),
            *(f"missing {m}" for m in self.missing),
        ]


@dataclass
class Trial:
    number: int
    scenario: str
    attempts: int = 0  # kill attempts
    kills: int = 0  # landed: the process was still running
    events: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # output of runs that ended first
    convergence: Convergence = field(default_factory=Convergence)
    audit: Audit = field(default_factory=Audit)


# ---------------------------------------------------------------------- the changes


def _replace_in(root: Path, address: str, old: str, new: str) -> None:
    path = root / "interviews" / f"{address}.yaml"
    text = path.read_text()
    assert old in text, (address, old)
    path.write_text(text.replace(old, new))


def change(root: Path, scenario: str) -> None:
    """Edit the converged project so that the next apply makes `scenario`'s changes on
    every platform."""
    if scenario == "update":  # in place: micro1, Instaview agent, JobMojito, Versive study
        _replace_in(root, "eng/backend", "review a pull request", "review a change")
        _replace_in(root, "support/screen", "intermediate", "senior")
        _replace_in(root, "research/study", "team: research", "team: insights")
    elif scenario == "replace":  # a new object, then the old one removed (or forgotten)
        _replace_in(root, "support/screen", "jobmojito:\n", "jobmojito:\n  welcome_message: Hi!\n")
        _replace_in(root, "eng/backend", "recruiting+smoke@", "recruiting+again@")
        _replace_in(root, "research/study", "title: Onboarding study", "title: Onboarding")
    elif scenario == "delete":  # micro1 delete, JobMojito soft delete, session removals
        write_definition(root, "eng/frontend", "")
        write_definition(root, "support/screen", "")
        write_definition(root, "eng/backend", backend(INLINE_JOB))
        _replace_in(root, "research/study", "    - name: fjord\n", "")


# ---------------------------------------------------------------------- killing


def kill_on_event(proc: subprocess.Popen[str], root: Path, event: Callable[[], bool]) -> bool:
    """SIGKILL `proc` as soon as `event` is seen; False when it ended first."""
    deadline = time.monotonic() + 60
    while proc.poll() is None and not event() and time.monotonic() < deadline:
        time.sleep(0.001)
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return True


def choose_event(root: Path, rng: random.Random, records: int) -> tuple[str, Callable[[], bool]]:
    """Kill once the apply holds its lock (planning, resolving, confirming), or once the
    k-th journal record is written (while changes are being made)."""
    lockfile = root / "interform.lock"
    if rng.random() < 0.2:
        return "lock taken", lock_path(lockfile).exists
    k = rng.randint(2, max(2, records - 1))  # the last one leaves too short a window

    def written() -> bool:
        try:
            return journal_path(lockfile).read_bytes().count(b"\n") >= k
        except FileNotFoundError:
            return False

    return f"journal record {k}", written


# journal records each action writes: an intent and its outcome for a create, and the
# old object's removal for a replace; one record for anything else
RECORDS = {"create": 2, "replace": 3}


def expected_records(root: Path, env: dict[str, str], destroy: bool) -> int:
    """Journal records the apply will write: its begin, then those of every change."""
    if destroy:
        lock = read_lockfile(root / "interform.lock", shared_ok=True)
        return 1 + max(1, len(lock.entries) if lock else 1)
    code, output = cli(root, env, "plan", "--json")
    if code != 0:
        return 2
    actions = [c["action"] for c in json.loads(output)["changes"]]
    return 1 + sum(RECORDS.get(a, 1) for a in actions if a != "blocked")


# ---------------------------------------------------------------------- one trial


def run_trial(number: int, base: Path, served: Served, seed: int) -> Trial:
    rng = random.Random(seed * 100_003 + number)
    trial = Trial(number, SCENARIOS[(seed + number) % len(SCENARIOS)])
    root = make_project(base / f"trial-{number}", served.url, timeout=TIMEOUT)
    account = f"t{seed}-{number}"
    env = environment(account)
    seen: set[str] = set()  # every remote id any lockfile of this trial tracked
    if trial.scenario != "create":
        converge(root, env, served.state, account)
        _remember(root, seen)
        change(root, trial.scenario)
    destroy = trial.scenario == "destroy"
    for _ in range(rng.choice((1, 1, 2))):  # sometimes the rerun is killed too
        records = expected_records(root, env, destroy)
        name, event = choose_event(root, rng, records)
        proc = start(root, env, "destroy" if destroy else "apply", "--auto-approve")
        trial.attempts += 1
        if kill_on_event(proc, root, event):
            trial.kills += 1
            trial.events.append(name)
        else:
            said = proc.communicate(timeout=60)[0]
            trial.events.append(f"missed {name} of {records}: exit {proc.returncode}")
            trial.missed.append(said)
        _remember(root, seen)
    trial.convergence = converge(root, env, served.state, account, destroy=destroy)
    _remember(root, seen)
    trial.audit = audit(root, served.state, account, seen)
    return trial


def _remember(root: Path, seen: set[str]) -> None:
    """Ids the lockfile (and a journal a killed run left) tracks right now."""
    lockfile = root / "interform.lock"
    lock, _ = with_journal(read_lockfile(lockfile, shared_ok=True), lockfile)
    if lock is not None:
        seen.update(e.remote_id for e in lock.entries.values() if e.remote_id)


# ---------------------------------------------------------------------- the audit


def audit(root: Path, state: Path, account: str, seen: set[str]) -> Audit:
    """Every tracked object exists once; every live object is tracked — except those
    Versive keeps after interform stopped tracking them (it cannot delete), which must
    be ones a lockfile once tracked."""
    found = Audit()
    lock = read_lockfile(root / "interform.lock", shared_ok=True)
    entries = lock.entries if lock else {}
    owners: dict[str, list[str]] = {}
    for address, entry in entries.items():
        owners.setdefault(entry.remote_id or "", []).append(address)
    found.shared = sorted(", ".join(a) for i, a in owners.items() if i and len(a) > 1)
    for target, platform in TARGETS.items():
        held = dashboard(state, platform, f"{account}-{target}")
        for (provider, kind), stored in MANAGED.items():
            if provider != platform:
                continue
            live = {
                oid: obj
                for oid, obj in held.get(stored, {}).items()
                if obj.get("status") != "deleted"
            }
            tracked = {
                e.remote_id: a for a, e in entries.items() if (e.target, e.kind) == (target, kind)
            }
            found.missing += [f"{a} ({i})" for i, a in tracked.items() if i not in live]
            for oid, obj in live.items():
                if oid in tracked or (platform == "versive" and oid in seen):
                    continue
                copy = _copy_of(obj, entries, target, kind, held.get(stored, {}))
                (found.duplicates if copy else found.untracked).append(
                    f"{target}/{kind} {oid}" + (f" (a second {copy})" if copy else "")
                )
    return found


def _copy_of(
    obj: dict[str, Any], entries: dict[str, Entry], target: str, kind: str, stored: dict[str, Any]
) -> str | None:
    """The tracked address an untracked object is a second copy of, if any: the same
    ownership marker, or (no marker) the same name as a tracked object."""
    metadata = obj.get("metadata")
    tags = obj["tags"] if isinstance(obj.get("tags"), list) else []
    marked = [t for t in tags if str(t).startswith("interform:")]  # JobMojito keeps it in tags
    marker = (
        obj.get("code")
        or (marked[0] if marked else None)
        or (metadata.get("interform") if isinstance(metadata, dict) else None)
    )
    for address, entry in entries.items():
        if (entry.target, entry.kind) != (target, kind):
            continue
        if marker and marker == entry.marker:
            return address
        twin = stored.get(entry.remote_id or "", {})
        name = _name(obj)
        if not marker and name and name == _name(twin):
            return address
    return None


def _name(obj: dict[str, object]) -> str | None:
    for key in ("interview_name", "name", "title"):
        if isinstance(obj.get(key), str):
            return str(obj[key])
    return None
