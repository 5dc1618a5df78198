"""The stages a command runs, glued in order: find the project, load it, render the
desired resources, read the lockfile (with any journal an interrupted apply left), plan,
and check the plan (request bodies, protection, thresholds).

Network access enters through one seam, `RemoteReader` (remote state for --refresh, and
what became of interrupted creates); the planner itself stays pure.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from interform.errors import Problem, UserError
from interform.project_root import PROJECT_FILE, find_root

if TYPE_CHECKING:
    from interform.config import LoadedDefinition
    from interform.lockfile.model import Entry, Lockfile
    from interform.model.project import Project
    from interform.plan.model import Change, Plan
    from interform.plan.saved import PlanInputs
    from interform.providers.base import DesiredResource, Found, RemoteState, YamlPath
    from interform.render_memo import Again

SANDBOX_LOCKFILE = Path(".interform") / "sandbox" / "interform.lock"


@dataclass(frozen=True)
class PendingCreate:
    """A create an interrupted apply may or may not have made."""

    address: str
    entry: Entry
    desired: DesiredResource | None  # None when the definition was removed since


class RemoteReader(Protocol):
    """What planning needs from the platforms; implemented by the apply engine."""

    def read(self, entries: Mapping[str, Entry]) -> Mapping[str, RemoteState | None]:
        """State of each entry by address (None: gone from the platform). Entries of
        kinds that cannot be read back are left out."""

    def resolve(self, pending: Sequence[PendingCreate]) -> Mapping[str, Found]:
        """What `Provider.find` says about each pending create, by address."""


@dataclass
class Workspace:
    root: Path
    project: Project
    definitions: list[LoadedDefinition]
    desired: list[DesiredResource]
    lockfile_path: Path
    lock: Lockfile | None  # as the lockfile and a leftover journal say it is
    sandbox: bool
    journal: bool = False  # an interrupted apply left a journal (taken into account)
    warnings: list[str] = field(default_factory=list)

    def locate(self, relpath: str, yaml_path: YamlPath) -> tuple[int, int]:
        """(line, col) in a project file, (0, 0) when the file or path is not there."""
        from interform.config import locate

        if not yaml_path or not (self.root / relpath).is_file():
            return (0, 0)
        return locate(self.root, relpath, yaml_path)


def sandbox_requested(flag: bool) -> bool:
    """--sandbox or INTERFORM_SANDBOX=1; recorded for the hints this run prints."""
    from interform import hints

    sandbox = flag or os.environ.get("INTERFORM_SANDBOX", "") not in ("", "0")
    hints.sandboxed(sandbox)
    return sandbox


def open_workspace(start: Path | None = None, *, sandbox: bool = False) -> Workspace:
    from interform.config import load_definitions, load_project
    from interform.providers import webhooks

    root = find_root(start)
    project = load_project(root)
    path = root / (SANDBOX_LOCKFILE if sandbox else Path(project.lockfile))
    unreadable: UserError | None = None
    try:  # read first: its sealed entries spare rendering unchanged definitions
        lock, journal = read_state(path)
    except UserError as err:  # said after the definitions' own problems, as always
        unreadable, lock, journal = err, None, False
    edited = distrust_edited(lock)  # before the memo: an edited entry is no rendering
    renderer = Renderer(project, root, lock)
    applied = partial(_request_at, lock)  # the lockfile just read, not read again
    definitions = load_definitions(root, project, on_loaded=renderer.add, applied=applied)
    desired = renderer.finish(definitions) + webhooks.desired(project)
    if unreadable is not None:
        raise unreadable
    ws = Workspace(
        root,
        project,
        definitions,
        desired,
        path,
        lock,
        sandbox,
        journal,
    )
    ws.warnings += [
        f"{path.name}: entry {address}: its digest does not match its recorded request "
        "(edited outside interform?); the plan compares the request itself"
        for address in edited
    ]
    if journal:
        ws.warnings.append(
            "an interrupted apply left a journal; the plan takes it into account "
            "(the next `interform apply` folds it into the lockfile)"
        )
    return ws


def recorded_requests(paths: Sequence[Path]) -> Callable[[str], Mapping[str, Any] | None]:
    """The request the first of the lockfiles `paths` that tracks an address records
    for it, read on first use: only a definition whose rules need it (a session
    scheduled in the past) pays for reading the lockfiles. A lockfile that cannot be
    read records nothing here; the commands that use it report why."""
    found: dict[str, Mapping[str, Any]] = {}
    read: list[bool] = []

    def lookup(address: str) -> Mapping[str, Any] | None:
        if not read:
            read.append(True)
            for path in reversed(paths):
                found.update(_requests(path))
        return found.get(address)

    return lookup


def _requests(path: Path) -> dict[str, Mapping[str, Any]]:
    try:
        lock, _ = read_state(path)
    except UserError:
        return {}
    if lock is None:
        return {}
    return {a: e.request for a, e in lock.entries.items() if e.request is not None}


def _request_at(lock: Lockfile | None, address: str) -> Mapping[str, Any] | None:
    """The request `lock` records at `address` (the rules' lookup, `RuleContext`)."""
    entry = lock.entries.get(address) if lock is not None else None
    return entry.request if entry is not None else None


def read_state(path: Path) -> tuple[Lockfile | None, bool]:
    """The lockfile, with what a leftover apply journal records folded in (not written)."""
    from interform.lockfile.store import journal_left, read_lockfile

    lock = read_lockfile(path)
    if not journal_left(path):
        return lock, False
    # the journal's code loads only when an interrupted apply left one
    from interform.lockfile.journal import with_journal

    return with_journal(lock, path)


def distrust_edited(lock: Lockfile | None) -> list[str]:
    """Entries whose digest is not their request's lose the digest (in memory only), so
    the plan compares the request with the definition instead of trusting a digest that
    says "unchanged"; their addresses, to report."""
    from interform.lockfile.checks import digest_mismatches

    if lock is None:
        return []
    edited = digest_mismatches(lock)
    for address in edited:
        lock.entries[address].digest = None
    return edited


def render_desired(
    project: Project, definitions: Sequence[LoadedDefinition]
) -> list[DesiredResource]:
    """Every definition's resources, in order, rendered afresh (`open_workspace` renders
    through the cache, as the definitions load)."""
    renderer = Renderer(project, None)
    for loaded in definitions:
        renderer.add(loaded)
    return renderer.finish(definitions)


class Renderer:
    """Renders definitions one at a time (as the loader accepts them, while their models
    are built), then lists the resources in the definitions' order. With the project
    `root`, a definition the lockfile `lock` records unchanged is not rendered at all
    (`interform.render_memo`), and renderings of other unchanged definitions come from
    (and new ones go to) the render cache (`interform.cache`)."""

    def __init__(self, project: Project, root: Path | None, lock: Lockfile | None = None) -> None:
        from interform.cache import RenderCache, render_salt
        from interform.config.loader import targets_fingerprint
        from interform.render_memo import RenderMemo

        self.project = project
        self.root = root
        self.cache: RenderCache | None = None
        self.memo: RenderMemo | None = None
        if root is not None:
            salt = render_salt(project.defaults)
            self.cache = RenderCache.open(root, salt)
            self.memo = RenderMemo(salt, lock)
        self.targets = targets_fingerprint(project)
        self.rendered: dict[str, list[DesiredResource]] = {}
        self.problems: list[Problem] = []

    def add(self, loaded: LoadedDefinition) -> None:
        from interform.providers.base import desired_to_wire

        context = f"{self.targets}:{loaded.address}:{loaded.path}"
        again = _rendered_again(self.project, loaded)
        if self.memo is not None:
            kept = self.memo.recall(loaded, context, again)
            if kept is not None:
                self.rendered[loaded.address] = kept
                return
        hit = self._cached(loaded, context, again)
        if hit is not None:
            self.rendered[loaded.address] = hit
            return
        rendered, unknown = _render(self.project, loaded)
        unknown += _unmatched_ignores(loaded, rendered, self.root)
        self.problems += unknown
        if self.cache is not None and self.memo is not None and not unknown:
            self.memo.mark(rendered, loaded, context)
            self.cache.put(loaded.digest, context, [desired_to_wire(r) for r in rendered])
            rendered = _lighter(rendered, again)
        self.rendered[loaded.address] = rendered

    def _cached(
        self, loaded: LoadedDefinition, context: str, again: Again
    ) -> list[DesiredResource] | None:
        from interform.providers.base import LazyOrigins, desired_from_data
        from interform.render_memo import origins_at

        wires = self.cache.get(loaded.digest, context) if self.cache is not None else None
        if wires is None:
            return None
        try:
            hit = [
                desired_from_data(wire, LazyOrigins(partial(origins_at, again, wire["address"])))
                for wire in wires
            ]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # a damaged entry is a miss, never an error
        if self.memo is not None:  # the token is this run's, whatever the cache holds
            for res in hit:
                object.__setattr__(res, "rendered_from", "")
            self.memo.mark(hit, loaded, context)
        return hit

    def finish(self, definitions: Sequence[LoadedDefinition]) -> list[DesiredResource]:
        if self.problems:
            raise UserError(self.problems)
        if self.cache is not None:
            self.cache.save(complete=True)
        rendered = self.rendered
        return [res for loaded in definitions for res in rendered[loaded.address]]


def _lighter(resources: list[DesiredResource], again: Again) -> list[DesiredResource]:
    """`resources` with their origins rendered again when read, as cached ones are. They
    were just rendered and nothing else holds them yet, so the field is swapped in place
    (`dataclasses.replace` would build each resource again)."""
    from interform.providers.base import LazyOrigins
    from interform.render_memo import origins_at

    for res in resources:
        object.__setattr__(res, "origins", LazyOrigins(partial(origins_at, again, res.address)))
    return resources


def _rendered_again(project: Project, loaded: LoadedDefinition) -> Again:
    """The resource at an address from rendering `loaded` again (once, on first call):
    what a resource from the cache or the lockfile holds only when it is read."""
    rendered: dict[str, DesiredResource] = {}

    def again(address: str) -> DesiredResource:
        if not rendered:
            rendered.update((r.address, r) for r in _render(project, loaded)[0])
        return rendered[address]

    return again


def _render(
    project: Project, loaded: LoadedDefinition
) -> tuple[list[DesiredResource], list[Problem]]:
    from interform.providers.registry import provider_class

    desired: list[DesiredResource] = []
    problems: list[Problem] = []
    for name in loaded.definition.targets:
        target = project.targets.get(name)
        if target is None:
            problems.append(_unknown_target(loaded, name, project))
            continue
        cls = provider_class(target.provider)
        desired += cls.render(loaded.definition, loaded.address, name, loaded.path)
    return desired, problems


def _unmatched_ignores(
    loaded: LoadedDefinition, rendered: Sequence[DesiredResource], root: Path | None
) -> list[Problem]:
    """An `ignore_changes` path that covers nothing sent to any target is a mistake (a
    typo, or a setting this platform never receives), not something to ignore quietly."""
    if not loaded.definition.ignore_changes:
        return []
    from interform.config import locate
    from interform.providers.base import ignored_pointers

    problems = []
    for i, path in enumerate(loaded.definition.ignore_changes):
        if any(ignored_pointers([path], res.origins) for res in rendered):
            continue
        line, col = locate(root, loaded.path, ("ignore_changes", i)) if root else (0, 0)
        targets = ", ".join(loaded.definition.targets)
        message = f'ignore_changes: "{path}" covers nothing interform sends to {targets}'
        fix = "name a setting this definition sets and its targets receive, or remove it"
        problems.append(Problem(loaded.path, line, col, message, fix))
    return problems


def _unknown_target(loaded: LoadedDefinition, name: str, project: Project) -> Problem:
    known = ", ".join(sorted(project.targets)) or "none"
    return Problem(
        loaded.path,
        0,
        0,
        f"unknown target {name!r}",
        f"use one of the targets in {PROJECT_FILE} ({known})",
    )


def definition_digests(ws: Workspace) -> dict[str, str]:
    """Digest of every file the plan was made from: interform.yaml and each definition."""
    project_file = (ws.root / PROJECT_FILE).read_bytes()
    digests = {PROJECT_FILE: "sha256:" + hashlib.sha256(project_file).hexdigest()}
    digests.update({d.path: d.digest for d in ws.definitions})
    return digests


def plan_inputs(ws: Workspace) -> PlanInputs:
    from interform.plan.saved import PlanInputs

    return PlanInputs(ws.lock, definition_digests(ws))


def build_plan(
    ws: Workspace,
    *,
    select: Sequence[str] = (),
    exclude: Sequence[str] = (),
    force: bool = False,
    reader: RemoteReader | None = None,
    refresh: bool = True,
    replace: Sequence[str] = (),
) -> Plan:
    """Plan, then refuse it (UserError, every problem at once) if a request would be
    rejected, a protected object would go, or a threshold is exceeded without `force`.
    With a `reader` but `refresh=False`, the reader only resolves interrupted creates
    (what apply does before planning); nothing tracked is read back."""
    from interform import __version__
    from interform.plan.planner import make_plan
    from interform.plan.safety import refuse_unsafe
    from interform.providers.registry import kind_spec
    from interform.providers.webhooks import secret_problems

    unset = secret_problems(ws.desired, ws.locate)
    if unset:  # without them the plan cannot tell whether a secret changed
        raise UserError(unset)
    remote, resolved = _network_inputs(ws, reader, refresh)
    plan = make_plan(
        ws.desired,
        ws.lock,
        specs=kind_spec,
        remote=remote,
        resolved=resolved,
        moves=ws.project.moves,
        select_patterns=select,
        exclude=exclude,
        replace=replace,
    )
    _block_unreachable(plan.changes, ws.project)
    plan.sandbox = ws.sandbox
    plan.interform_version = __version__
    plan.definition_digests = definition_digests(ws)
    plan.warnings = sorted({*plan.warnings, *ws.warnings})

    managed = len(ws.lock.entries) if ws.lock else 0
    more = request_problems(plan.changes, ws) + sink_problems(plan.changes, ws)
    refuse_unsafe(plan, ws.project.safety, managed, force=force, locate=ws.locate, more=more)
    return plan


def _block_unreachable(changes: Sequence[Change], project: Project) -> None:
    """Objects on a target interform.yaml no longer names cannot be reached to remove
    (forgetting needs no platform, so it goes ahead)."""
    from interform.plan.model import Action

    for change in changes:
        if change.target in project.targets or change.action in (Action.FORGET, Action.BLOCKED):
            continue
        change.reason = (
            f"target {change.target} is no longer in {PROJECT_FILE}, so interform cannot reach "
            f"it to {change.action.value} this object; add the target back to let apply do it"
        )
        change.action = Action.BLOCKED


def _network_inputs(
    ws: Workspace, reader: RemoteReader | None, refresh: bool = True
) -> tuple[Mapping[str, RemoteState | None] | None, Mapping[str, Found]]:
    if reader is None or ws.lock is None:
        return (None if reader is None or not refresh else {}), {}
    by_address = {r.address: r for r in ws.desired}
    pending = [
        PendingCreate(address, entry, by_address.get(address))
        for address, entry in sorted(ws.lock.entries.items())
        if any(p.op == "create" for p in entry.pending)
    ]
    resolved = reader.resolve(pending) if pending else {}
    if not refresh:
        return None, resolved
    tracked = {a: e for a, e in ws.lock.entries.items() if e.remote_id}
    return reader.read(tracked), resolved


def request_problems(changes: Sequence[Change], ws: Workspace) -> list[Problem]:
    """Every request body the plan would send, checked against the platform's request
    schema, each violation pinned to the YAML that produced it."""
    from interform.providers.registry import provider_class

    problems = []
    for change in changes:
        res = change.desired
        operation = _operation(change)
        if res is None or operation is None:
            continue
        for bad in provider_class(res.provider).request_problems(res, operation):
            line, col = ws.locate(res.source, res.origin(bad.pointer))
            message = f"{res.address}: the {operation} request would be rejected: "
            message += f"{bad.pointer or '/'}: {bad.message}"
            fix = "correct this value in the definition"
            problems.append(Problem(res.source, line, col, message, fix))
    return problems


def _operation(change: Change) -> Literal["create", "update"] | None:
    from interform.plan.model import Action

    if change.action in (Action.CREATE, Action.REPLACE):
        return "create"
    if change.action in (Action.UPDATE, Action.MOVE, Action.ADOPT) and change.fields:
        return "update"
    return None


_SINK_FIX = (
    "name a git-ignored file inside the project, outside interform's own files "
    "(e.g. secrets/embed.key, with secrets/ in .gitignore)"
)


def sink_problems(changes: Sequence[Change], ws: Workspace) -> list[Problem]:
    """Every sink a change of the plan may write, checked before anything is sent."""
    from interform.paths import OwnedFiles
    from interform.plan.model import Action
    from interform.secretfile import sink_problem

    owned = OwnedFiles.of(ws.root, ws.project.lockfile, ws.project.interviews)
    problems = []
    for change in changes:
        res = change.desired
        if res is None or change.action in (Action.BLOCKED, Action.NOOP):
            continue
        for name, sink in sorted(res.sinks.items()):
            _, problem = sink_problem(str(ws.root), owned, sink)
            if problem is not None:
                line, col = ws.locate(res.source, res.origin(f"/{name}"))
                message = f"{res.address}: {name} cannot be written: {problem}"
                problems.append(Problem(res.source, line, col, message, _SINK_FIX))
    return problems
