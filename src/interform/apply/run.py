"""`interform apply` and `interform destroy` from start to end: lock, plan (or load a
saved plan and check it still holds), confirm, execute with checkpoints, write the
lockfile, check convergence. The exit code says how it went."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from interform.apply.connect import Connections, TransportFactory
from interform.apply.console import Console, summary
from interform.apply.executor import APPLIED, Outcome, Stop, execute
from interform.errors import ApprovalRequired, ExitCode, PlanRefused, UserError

if TYPE_CHECKING:
    from interform.apply.recorder import Recorder
    from interform.apply.remote import PlatformReader
    from interform.apply.tasks import Task
    from interform.lockfile.lock import ApplyLock
    from interform.lockfile.model import Entry, Lockfile
    from interform.plan.model import Plan
    from interform.workspace import Workspace

DEFAULT_PARALLELISM = 8


@dataclass
class ApplyRequest:
    plan_file: Path | None = None
    auto_approve: bool = False
    sandbox: bool = False
    parallelism: int = DEFAULT_PARALLELISM
    lock_timeout: float = 0.0
    select: Sequence[str] = ()
    exclude: Sequence[str] = ()
    force: bool = False
    refresh: bool = False
    destroy: bool = False
    replace: Sequence[str] = ()  # -replace addresses
    colour: bool = False
    # None: no one to ask (stdin is not a terminal); else asks and returns the answer
    confirm: Callable[[], bool] | None = None
    transport: TransportFactory | None = None  # tests and benchmarks route targets
    converge: bool = True


def run_apply(req: ApplyRequest, console: Console, start: Path | None = None) -> int:
    from interform import waiting

    # notices of long waits go around the progress bar, like every other line
    waiting.set_sink(lambda text: console.say(text, err=True))
    try:
        return _run(req, console, start)
    finally:
        waiting.set_sink(None)


def _run(req: ApplyRequest, console: Console, start: Path | None) -> int:
    from interform.lockfile.lock import ApplyLock
    from interform.workspace import open_workspace

    if req.plan_file is not None:
        req = _as_saved(req, req.plan_file, start)
    ws = open_workspace(start, sandbox=req.sandbox)
    if ws.sandbox:
        console.say(
            "Sandbox: every target goes to its local emulator "
            f"({ws.root.name}/.interform/sandbox); no real platform is called.",
            err=True,
        )
    operation = "destroy" if req.destroy else "apply"
    holder = ApplyLock(ws.lockfile_path, operation, notice=lambda t: console.say(t, err=True))
    holder.acquire(timeout=req.lock_timeout)
    with holder, Connections(ws, transport=req.transport) as connections:
        return _locked(req, console, ws, connections, holder)


def _locked(
    req: ApplyRequest,
    console: Console,
    ws: Workspace,
    connections: Connections,
    holder: ApplyLock,
) -> int:
    from interform.apply.remote import PlatformReader
    from interform.lockfile.journal import fold
    from interform.workspace import distrust_edited, read_state

    ws.lock, ws.journal = read_state(ws.lockfile_path)  # what it is now that we hold the lock
    distrust_edited(ws.lock)
    if req.destroy:
        ws.desired = []
    reader = PlatformReader(
        connections,
        ws.lock.entries if ws.lock else {},
        req.parallelism,
        wait=True,
        notice=lambda text: console.say(text, err=True),
    )
    try:
        plan = _saved(req.plan_file, ws) if req.plan_file else _fresh(req, ws, reader)
    except PlanRefused as refused:
        _show(refused.plan, req, console)
        raise
    if ws.journal:
        fold(ws.lockfile_path)  # the interrupted apply's records become the lockfile
        console.say("Folded the journal an interrupted apply left into the lockfile.", err=True)
    _show(plan, req, console)
    if not plan.has_changes:
        _reseal_unchanged(ws, plan, holder, console)
        return ExitCode.OK
    if req.plan_file is None and not req.auto_approve:
        _approve(req)
    return _execute(req, console, ws, connections, reader, plan, holder)


def _reseal_unchanged(ws: Workspace, plan: Plan, holder: ApplyLock, console: Console) -> None:
    """With nothing to change, still seal what is not sealed for this interform (see
    `apply/seals.py`): the lockfile is written only when there is one to seal."""
    from interform.apply.recorder import Recorder
    from interform.apply.seals import resealed
    from interform.lockfile.store import read_lockfile

    lock = read_lockfile(ws.lockfile_path)
    found = resealed(ws.desired, plan.changes, lock)
    if lock is None or not found:
        return
    recorder = Recorder(ws.lockfile_path, lock, durable=not ws.sandbox)
    _record_seals(recorder, found, console)
    recorder.finish(guard=holder.check)


def _record_seals(recorder: Recorder, found: Mapping[str, Entry], console: Console) -> None:
    for address, entry in sorted(found.items()):
        recorder.updated(address, entry)
    console.say(
        f"Sealed {len(found)} unchanged object(s) in the lockfile for this version of "
        "interform, so plans need not render their definitions again.",
        err=True,
    )


def _fresh(req: ApplyRequest, ws: Workspace, reader: PlatformReader) -> Plan:
    from interform.workspace import build_plan

    return build_plan(
        ws,
        select=req.select,
        exclude=req.exclude,
        force=req.force,
        reader=reader,
        refresh=req.refresh,
        replace=req.replace,
    )


def _as_saved(req: ApplyRequest, path: Path, start: Path | None) -> ApplyRequest:
    """A saved plan applies where it was made: one made with --sandbox goes to the
    sandbox without repeating the flag; one made against the platforms never does.
    (Its signature is checked first: nothing in an unchecked plan decides anything.)"""
    from dataclasses import replace

    from interform import hints
    from interform.plan.saved import load_saved
    from interform.plan.signing import plan_key
    from interform.project_root import find_root

    made_in_sandbox = load_saved(path, plan_key(find_root(start))).sandbox
    if req.sandbox and not made_in_sandbox:
        raise UserError(
            f"{path}: the plan was made against the real platforms, not the sandbox",
            fix=f"apply it without --sandbox, or make a sandbox plan with "
            f"`{hints.command('plan', '--sandbox', '--out', str(path))}`",
        )
    hints.sandboxed(made_in_sandbox)
    return replace(req, sandbox=made_in_sandbox)


def _saved(path: Path, ws: Workspace) -> Plan:
    from interform import hints
    from interform.errors import Problem
    from interform.plan.saved import load_saved, stale_reasons, unfaithful_reasons
    from interform.plan.signing import plan_key
    from interform.workspace import plan_inputs

    plan = load_saved(path, plan_key(ws.root))
    reasons = stale_reasons(plan, plan_inputs(ws)) or unfaithful_reasons(plan, ws.desired)
    if reasons:
        fix = f"make a new plan (`{hints.command('plan', '--out', str(path))}`) and review it"
        raise UserError([Problem(str(path), 0, 0, f"stale plan: {why}", fix) for why in reasons])
    return plan


def _show(plan: Plan, req: ApplyRequest, console: Console) -> None:
    from interform.output.text import render_text

    console.say(render_text(plan, colour=req.colour).rstrip("\n"))


def _approve(req: ApplyRequest) -> None:
    if req.confirm is None:
        from interform import hints

        verb = "destroy" if req.destroy else "apply"
        fix = (
            f"review the plan, then run `{hints.command(verb, *_selection(req), '--auto-approve')}`"
        )
        if not req.destroy:  # a saved plan never destroys
            saved = hints.command("plan", *_selection(req), "--out", "FILE")
            fix += f" (or apply a plan saved with `{saved}`)"
        raise ApprovalRequired(f"{verb} needs confirmation, but stdin is not a terminal", fix=fix)
    if not req.confirm():
        raise UserError("not applied: the plan was not confirmed", fix="answer `yes` to apply")


def _selection(req: ApplyRequest) -> list[str]:
    """The options that chose what this run plans, as they must be given again."""
    words = [f"--target={t}" for t in req.select] + [f"--exclude={x}" for x in req.exclude]
    words += [f"-replace={a}" for a in req.replace]
    return words + ["--force"] * req.force + ["--refresh"] * req.refresh


def _execute(
    req: ApplyRequest,
    console: Console,
    ws: Workspace,
    connections: Connections,
    reader: PlatformReader,
    plan: Plan,
    holder: ApplyLock,
) -> int:
    from interform.apply.signals import exit_code_for, stopping_on_signals
    from interform.apply.tasks import build_tasks
    from interform.lockfile.lock import LockLost

    tasks = build_tasks(plan.changes)
    connections.check({t.change.target for t in tasks if t.sends})
    stop = Stop()
    began = time.monotonic()
    with stopping_on_signals(stop, lambda text: console.say(text, err=True)):
        outcomes, written = _run_tasks(req, console, ws, connections, plan, tasks, stop, holder)
    elapsed = time.monotonic() - began
    for line in summary(outcomes, ws.sandbox, _signal_name(stop), elapsed):
        console.say(line)
    if holder.lost.is_set():
        raise LockLost(holder.path)
    if stop.refused is not None:
        raise stop.refused
    if stop.signal is not None:
        return exit_code_for(stop.signal)
    if stop.timed_out:
        return ExitCode.ERROR
    if written is not None and req.converge:
        from interform.apply.converge import check

        for line in check(ws, reader, outcomes, written):
            console.say(line)
    return ExitCode.OK if all(o.status == APPLIED for o in outcomes) else ExitCode.ERROR


def _run_tasks(
    req: ApplyRequest,
    console: Console,
    ws: Workspace,
    connections: Connections,
    plan: Plan,
    tasks: list[Task],
    stop: Stop,
    holder: ApplyLock,
) -> tuple[list[Outcome], Lockfile | None]:
    """Outcomes, and the lockfile as written (None when abandoned, or when the lock was
    broken meanwhile: the journal stays for the next command to fold)."""
    from interform.apply.operations import Context
    from interform.apply.recorder import Recorder
    from interform.apply.seals import resealed
    from interform.lockfile.store import new_lockfile, read_lockfile
    from interform.paths import OwnedFiles

    lock = read_lockfile(ws.lockfile_path) or new_lockfile()
    # the emulators' own state is not fsync'd either (a sandbox need not survive power
    # loss); without the syncs the journal still survives the process being killed
    recorder = Recorder(ws.lockfile_path, lock, durable=not ws.sandbox)
    found = resealed(ws.desired, plan.changes, lock)
    if found:
        _record_seals(recorder, found, console)
    project_id = ws.project.project or lock.lineage
    owned = OwnedFiles.of(ws.root, ws.project.lockfile, ws.project.interviews)
    ctx = Context(
        recorder, connections.get, project_id, str(ws.root), owned=owned, guard=holder.check
    )
    console.start(len(tasks))
    try:
        outcomes = execute(
            tasks, ctx, parallelism=req.parallelism, stop=stop, listener=console.progress
        )
    finally:
        console.end_progress()
        if stop.abandon.is_set():
            recorder.abandon()
    if stop.abandon.is_set():
        return outcomes, None
    if not holder.owned():
        recorder.abandon()  # another apply may own the lockfile (and its journal) now
        return outcomes, None
    return outcomes, recorder.finish(guard=holder.check)


def _signal_name(stop: Stop) -> str | None:
    from interform.apply.signals import NAMES

    if stop.timed_out:
        return "--timeout"
    if stop.signal is None:
        return None
    return next((n for s, n in NAMES.items() if s == stop.signal), str(stop.signal))
