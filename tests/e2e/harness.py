"""End-to-end harness: `interform sandbox serve` as a real process, a project whose four
targets point at it, the CLI run as an operator would run it, and the emulators' state
read the way a user reads a platform's dashboard."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interform.lockfile.model import Lockfile
from interform.lockfile.store import read_lockfile
from project_files import BACKEND, FRONTEND, JOBMOJITO_DEFAULTS, STUDY, SUPPORT, write_project

CLI = [sys.executable, "-m", "interform"]
PROJECT_ID = "e2e"

# the managed kinds as each emulator stores them (Instaview jobs and candidates are
# interform's too: each must exist once, tracked)
MANAGED = {
    ("micro1", "interview"): "interview",
    ("jobmojito", "interview"): "interview",
    ("instaview", "agent"): "agent",
    ("instaview", "job"): "job",
    ("instaview", "candidate"): "candidate",
    ("instaview", "session"): "session",
    ("versive", "study"): "study",
    ("versive", "session"): "session",
}
TARGETS = {"micro1": "micro1", "jm": "jobmojito", "iv": "instaview", "vs": "versive"}
CREDENTIALS = {
    "micro1": "MICRO1_API_KEY",
    "jm": "JOBMOJITO_TOKEN",
    "iv": "INSTAVIEW_API_KEY",
    "vs": "VERSIVE_API_KEY",
}

DEFINITIONS = {
    "eng/backend": BACKEND,
    "eng/frontend": FRONTEND,
    "support/screen": SUPPORT,
    "research/study": STUDY,
}


@dataclass
class Served:
    url: str
    state: Path
    process: subprocess.Popen[str]


@contextmanager
def serve(state: Path, faults: str = "") -> Iterator[Served]:
    """`interform sandbox serve` on a free port, stopped (SIGTERM) afterwards."""
    command = [*CLI, "sandbox", "serve", "--port", "0", "--state-dir", str(state)]
    env = {**os.environ, "INTERFORM_SANDBOX_FAULTS": faults}
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"listening on (http://\S+)", line)
    if match is None:
        proc.kill()
        raise AssertionError(f"sandbox serve did not start: {line}{proc.stdout.read()}")
    try:
        yield Served(match[1].rstrip("/"), state, proc)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def make_project(root: Path, url: str, timeout: float = 10.0) -> Path:
    lines = [f"project: {PROJECT_ID}", "targets:"]
    for name, provider in TARGETS.items():
        lines += [
            f"  {name}:",
            f"    provider: {provider}",
            f"    base_url: {url}/{provider}",
            f"    timeout: {timeout}",
        ]
    return write_project(root, "\n".join(lines) + "\n" + JOBMOJITO_DEFAULTS, DEFINITIONS)


def environment(account: str) -> dict[str, str]:
    """Credentials opening account `<account>-<target>` on every emulated platform."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERFORM_")}
    env["NO_COLOR"] = "1"
    for target, variable in CREDENTIALS.items():
        env[variable] = f"sandbox-{account}-{target}"
    return env


def cli(root: Path, env: dict[str, str], *args: str, timeout: float = 120) -> tuple[int, str]:
    proc = subprocess.run(
        [*CLI, "-C", str(root), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return proc.returncode, proc.stdout + proc.stderr


def start(root: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, "-C", str(root), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


# ---------------------------------------------------------------------- the dashboard


def dashboard(state: Path, platform: str, account: str) -> dict[str, dict[str, dict[str, Any]]]:
    """kind -> id -> object, as the emulator holds them."""
    objects: dict[str, dict[str, dict[str, Any]]] = {}
    log = state / platform / f"{account}.jsonl"
    if not log.exists():
        return objects
    for raw in log.read_bytes().splitlines():
        try:
            record = json.loads(raw)
        except ValueError:
            continue  # a torn last line
        if "put" in record:
            objects.setdefault(record["put"], {})[record["id"]] = record["obj"]
        elif "del" in record:
            objects.get(record["del"], {}).pop(record["id"], None)
    return objects


def managed_remote(state: Path, account: str) -> dict[tuple[str, str], set[str]]:
    """(target, kind) -> ids of the managed objects that exist remotely."""
    found: dict[tuple[str, str], set[str]] = {}
    for target, platform in TARGETS.items():
        held = dashboard(state, platform, f"{account}-{target}")
        for (provider, kind), stored in MANAGED.items():
            if provider == platform:
                live = {
                    i for i, obj in held.get(stored, {}).items() if obj.get("status") != "deleted"
                }
                found[(target, kind)] = live
    return found


def lookup(state: Path, account: str, lock: Lockfile, address: str) -> str | None:
    """Find the object an interrupted create made, as a user would in the dashboard: by
    the interform marker where the platform keeps one, else by its name; never one the
    lockfile already tracks."""
    entry = lock.entries[address]
    pending = next(p for p in entry.pending if p.op == "create")
    platform = TARGETS[entry.target]
    stored = MANAGED[(platform, entry.kind)]
    held = dashboard(state, platform, f"{account}-{entry.target}").get(stored, {})
    tracked = {e.remote_id for e in lock.entries.values() if e.remote_id}
    marker = f"interform:{PROJECT_ID}:{address}"
    request = pending.request or {}
    name = request.get("interview_name") or request.get("name") or request.get("title")
    for oid, obj in held.items():
        if oid in tracked:
            continue
        metadata = obj.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        tags = obj["tags"] if isinstance(obj.get("tags"), list) else []
        if marker in (obj.get("code"), metadata.get("interform")) or marker in tags:
            return oid
        if name and name in (obj.get("interview_name"), obj.get("name"), obj.get("title")):
            return oid
    return None


# ---------------------------------------------------------------------- convergence


@dataclass
class Convergence:
    runs: int = 0
    unlocks: int = 0
    imports: list[str] = field(default_factory=list)  # addresses imported by hand
    dropped: list[str] = field(default_factory=list)  # pending creates dropped by hand
    outputs: list[str] = field(default_factory=list)

    def human_steps(self) -> list[str]:
        """What a person had to do, one line each."""
        return [
            *(f"force-unlock ({self.unlocks})" for _ in range(min(self.unlocks, 1))),
            *(f"import {a}" for a in self.imports),
            *(f"state rm {a}" for a in self.dropped),
        ]

    def needless_steps(self) -> list[str]:
        """Human steps where the platform had a way to find the object (all but Versive,
        which can list nothing)."""
        allowed = {a for a in [*self.imports, *self.dropped] if a.split("#")[0].endswith("@vs")}
        return [step for step in self.human_steps() if step.split(" ")[-1] not in allowed]


# hints repeat the run's -C DIR (and --sandbox): `interform -C DIR import ADDRESS REMOTE_ID`
LOCK_ID = re.compile(r"interform (?:-C \S+ )?force-unlock (\w+)")
IMPORT = re.compile(r"interform (?:-C \S+ )?import (\S+) REMOTE_ID")
# the longest a lost create can still take to land (`apply/remote.py`): the target's
# timeout and a margin after the attempt
SETTLE = 1.0 + 5.0


def converge(
    root: Path,
    env: dict[str, str],
    state: Path,
    account: str,
    limit: int = 12,
    *,
    destroy: bool = False,
) -> Convergence:
    """Apply (or destroy) until it succeeds with nothing left to do, doing what an
    operator would: break a stale lock, settle what the plan says cannot be decided by
    looking in the platform's dashboard — after waiting as long as a lost create could
    still take to land."""
    seen = Convergence()
    command = ("destroy", "--auto-approve") if destroy else ("apply", "--auto-approve")
    for _ in range(limit):
        code, output = cli(root, env, *command)
        seen.runs += 1
        seen.outputs.append(output)
        if "stale lock" in output and (match := LOCK_ID.search(output)):
            assert cli(root, env, "force-unlock", match[1])[0] == 0
            seen.unlocks += 1
            continue
        blocked = sorted(set(IMPORT.findall(output)))
        if blocked:
            _settle_by_hand(root, env, state, account, blocked, seen)
            continue
        if code == 0 and _converged(root, env, seen, destroy):
            return seen
    raise AssertionError("apply did not converge:\n" + "\n-----\n".join(seen.outputs[-3:]))


def _converged(root: Path, env: dict[str, str], seen: Convergence, destroy: bool) -> bool:
    if destroy:
        lock = read_lockfile(root / "interform.lock")
        return lock is None or not lock.entries
    final, said = cli(root, env, "plan", "--detailed-exitcode")
    seen.outputs.append(said)
    return final == 0


def _settle_by_hand(
    root: Path,
    env: dict[str, str],
    state: Path,
    account: str,
    blocked: list[str],
    seen: Convergence,
) -> None:
    lock = read_lockfile(root / "interform.lock")
    assert lock is not None
    _wait_until_settled(root, lock, blocked)
    for address in blocked:
        remote_id = lookup(state, account, lock, address)
        if remote_id is None:
            # not in the dashboard: it was never made; drop the pending record
            done, said = cli(root, env, "state", "rm", address)
            seen.dropped.append(address)
        else:
            done, said = cli(root, env, "import", address, remote_id)
            seen.imports.append(address)
        assert done == 0, said


def _wait_until_settled(root: Path, lock: Lockfile, addresses: list[str]) -> None:
    """A careful person does not decide that a create did not happen while the
    platform may still be making it."""
    from interform.isotime import parse_iso

    timeout = max(_timeouts(root).values(), default=30.0)
    latest = 0.0
    for address in addresses:
        for op in lock.entries[address].pending:
            started = parse_iso(op.started_at)
            if op.op == "create" and started is not None:
                latest = max(latest, started.timestamp() + timeout + SETTLE)
    time.sleep(max(0.0, latest - time.time()))


def _timeouts(root: Path) -> dict[str, float]:
    found = re.findall(r"^    timeout: ([0-9.]+)$", (root / "interform.yaml").read_text(), re.M)
    return {str(i): float(t) for i, t in enumerate(found)}


def assert_exactly_once(root: Path, state: Path, account: str, entries: int = 10) -> None:
    """Every desired object exists remotely once, and nothing remote is untracked."""
    lock = read_lockfile(root / "interform.lock")
    assert lock is not None
    assert all(e.remote_id and not e.pending for e in lock.entries.values())
    tracked: dict[tuple[str, str], set[str]] = {}
    for entry in lock.entries.values():
        tracked.setdefault((entry.target, entry.kind), set()).add(entry.remote_id or "")
    remote = managed_remote(state, account)
    for key, ids in remote.items():
        assert ids == tracked.get(key, set()), (
            f"{key}: remote {sorted(ids)} tracked {tracked.get(key)}"
        )
    # 2 micro1, 1 JobMojito, 1 agent + 1 session, 1 study + 2 participants (and any added)
    assert len(lock.entries) == entries
