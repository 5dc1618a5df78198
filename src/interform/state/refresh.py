"""`interform refresh`: compare the platforms with the lockfile and record what is known.

Read back every tracked object that can be read, and record what was found, so that a
plain `interform apply` acts on it exactly as the report says:

- drift (changes made outside interform): the values read back become the entry's
  `request`, and the fields are named in `drifted`, so the next plan shows updates that
  put the definition's values back, saying they changed outside interform;
- objects gone from their platform: the entry loses its id and links (`output` no
  longer prints a dead link), and the next plan creates the object again — or drops the
  record, when no definition asks for it any more;
- links the platform reports are recorded.

Interrupted creates are settled where the platform can tell (`plan.matching`), and
objects an interrupted apply made but never recorded are rediscovered by their
ownership marker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from interform import hints, waiting
from interform.errors import Problem
from interform.model.address import is_deposed
from interform.project_root import PROJECT_FILE

if TYPE_CHECKING:
    from interform.apply.connect import Connections, TransportFactory
    from interform.apply.remote import PlatformReader
    from interform.lockfile.model import Entry, Lockfile
    from interform.providers.base import DesiredResource, Found
    from interform.state.discovery import Found as Discovered
    from interform.workspace import PendingCreate, Workspace


def fix_read() -> str:
    again = hints.command("refresh")
    return f"check the target's credential and connectivity, then run `{again}` again"


@dataclass
class Report:
    changes: list[str] = field(default_factory=list)  # one line per object
    notes: list[str] = field(default_factory=list)  # what was and was not checked
    problems: list[Problem] = field(default_factory=list)

    def lines(self) -> list[str]:
        body = self.changes or ["No drift: every object read matches what interform applied."]
        return [*body, *self.notes]


def run_refresh(
    ws: Workspace,
    lock_timeout: float = 0.0,
    *,
    transport: TransportFactory | None = None,
    sleep: Callable[[float], None] = waiting.sleep,
) -> Report:
    """Refresh under the apply lock; `transport` and `sleep` reach the connections (tests
    route a target elsewhere)."""
    from interform.apply.connect import connect
    from interform.apply.remote import PlatformReader
    from interform.state.access import StateFile
    from interform.state.discovery import discovery_targets

    report = Report()
    with StateFile.of(ws).mutate("refresh", lock_timeout) as lock:
        reachable = _reachable(ws, lock, report)
        targets = {e.target for e in reachable.values()} | set(discovery_targets(ws))
        with connect(ws, targets, transport=transport, sleep=sleep) as connections:
            reader = PlatformReader(connections, lock.entries, wait=True, sleep=sleep)
            checked = _drift(lock, reader, reachable, report, ws.desired)
            _settle(ws, lock, reader, report)
            _rediscover(ws, lock, connections, report)
    report.notes.insert(0, f"Read back {checked} of {len(lock.entries)} tracked objects.")
    report.notes += _limits(ws, lock)
    if any(line[:1] in "~-" for line in report.changes):
        plan = hints.command("plan")
        report.notes.append(f"`{plan}` shows what the next apply does about it.")
    return report


def _reachable(ws: Workspace, lock: Lockfile, report: Report) -> dict[str, Entry]:
    """Tracked objects on targets interform.yaml still names (deposed ones are about to
    be removed: not worth a read)."""
    gone = sorted({e.target for e in lock.entries.values()} - set(ws.project.targets))
    report.notes += [
        f"Target {name} is no longer in {PROJECT_FILE}: its objects were not checked."
        for name in gone
    ]
    return {
        a: e
        for a, e in lock.entries.items()
        if e.target in ws.project.targets and not is_deposed(a)
    }


def _drift(
    lock: Lockfile,
    reader: PlatformReader,
    entries: dict[str, Entry],
    report: Report,
    desired: Sequence[DesiredResource],
) -> int:
    from interform.digest import body_digest
    from interform.plan.fields import drifted_state
    from interform.providers.registry import kind_spec

    states, failures = reader.try_read({a: e for a, e in entries.items() if e.remote_id})
    report.problems += [
        Problem("", 0, 0, f"{address}: cannot read it back: {why}", fix_read())
        for address, why in sorted(failures.items())
    ]
    defined = {r.address for r in desired}
    for address, state in sorted(states.items()):
        entry = lock.entries[address]
        if state is None:
            # recorded gone: the next plan creates it again (or drops the record)
            lock.entries[address] = entry.model_copy(
                update={"remote_id": None, "urls": {}, "drifted": []}
            )
            then = "creates it again" if address in defined else "drops its record"
            report.changes.append(
                f"- {address}: gone from {entry.target} (deleted outside interform); "
                f"the next apply {then}"
            )
            continue
        spec = kind_spec(entry.provider, entry.kind)
        current, drifted = drifted_state(entry.request or {}, state.body, spec)
        if drifted:
            entry.request, entry.digest = current, body_digest(current)
            entry.drifted = sorted({*entry.drifted, *drifted})
            fields = ", ".join(sorted(drifted))
            report.changes.append(
                f"~ {address}: changed outside interform: {fields}; the next apply puts the "
                "definition back"
            )
        entry.urls = {**entry.urls, **state.urls}
    return len(states)


def _settle(ws: Workspace, lock: Lockfile, reader: PlatformReader, report: Report) -> None:
    """What became of creates an interrupted apply left pending."""
    from interform.plan.pending import adopted_entry, pending_create, without_create
    from interform.state.adoption import adopt
    from interform.workspace import PendingCreate

    desired = {r.address: r for r in ws.desired}
    pending = [
        PendingCreate(a, e, desired.get(a))
        for a, e in sorted(lock.entries.items())
        if pending_create(e) is not None and e.target in ws.project.targets
    ]
    for item, found in zip(pending, _resolved(reader, pending), strict=True):
        address, entry = item.address, item.entry
        op = pending_create(entry)
        assert op is not None
        if found.status == "found" and found.remote_id:
            adopt(lock, address, adopted_entry(entry, op, found))
            report.changes.append(
                f"<= {address}: an interrupted create did happen; recorded as {found.remote_id}"
            )
        elif found.status == "absent":
            cleaned = without_create(entry)
            if cleaned.remote_id is None and not cleaned.pending:
                del lock.entries[address]
            else:
                lock.entries[address] = cleaned
            report.changes.append(f"  {address}: an interrupted create did not happen")
        else:
            detail = f" ({found.detail})" if found.detail else ""
            report.changes.append(
                f"! {address}: cannot tell whether an interrupted create happened{detail}; "
                f"if it exists, run `{hints.command('import', address, 'REMOTE_ID')}`"
            )


def _resolved(reader: PlatformReader, pending: list[PendingCreate]) -> list[Found]:
    results = reader.resolve(pending) if pending else {}
    return [results[item.address] for item in pending]


def _rediscover(ws: Workspace, lock: Lockfile, connections: Connections, report: Report) -> None:
    from interform.state.discovery import discover, discovery_targets

    project_id = ws.project.project or lock.lineage
    found = discover(ws, connections, lock, project_id)
    report.problems += [
        Problem("", 0, 0, f"{where}: cannot list its objects: {why}", fix_read())
        for where, why in sorted(found.failures.items())
    ]
    desired = {r.address for r in ws.desired}
    for item in sorted(found.found, key=lambda f: f.address):
        why = _not_recorded(item, lock, desired)
        if why:
            report.changes.append(
                f"? {item.address}: found by its ownership marker as {item.state.remote_id}, "
                f"left alone: {why}"
            )
        else:
            report.changes.append(_record_found(ws, lock, _as_defined(ws, connections, item)))
    if ws.project.project is None and discovery_targets(ws):
        report.notes.append(
            f"{PROJECT_FILE} sets no `project:`: objects are recognised by this lockfile's "
            "lineage only, so a lost lockfile cannot be rebuilt; set `project:`."
        )
    if found.other_projects:
        report.notes.append(
            f"{found.other_projects} object(s) carry another project's marker: left alone."
        )


def _not_recorded(item: Discovered, lock: Lockfile, desired: set[str]) -> str:
    """Why a marked object must not be recorded here; "" when it may. Another branch's
    apply (not merged yet) marks its objects exactly like a killed run here does: recorded,
    an object this checkout does not define, or a second one for an address it tracks,
    would be removed by the next apply, and the branch would lose it. Only an object this
    checkout defines and does not track yet (or an interrupted create awaits) is taken."""
    from interform.plan.pending import pending_create

    current = lock.entries.get(item.address)
    if item.address not in desired:
        return (
            "this checkout does not define it (an apply on a branch not merged yet?); if it "
            "is left over, delete it on the platform"
        )
    if current is not None and current.remote_id and pending_create(current) is None:
        return (
            f"{item.address} is {current.remote_id} (a second object from a branch not merged "
            "yet, or left over by a killed run; merging the branch keeps one and removes the "
            "other, a leftover you delete on the platform)"
        )
    return ""


def _as_defined(ws: Workspace, connections: Connections, item: Discovered) -> Discovered:
    """The object read again against its definition, if one asks for it: what the
    platform never returns then counts as the definition says (a rebuilt lockfile must
    not plan a replacement for a welcome message JobMojito cannot show)."""
    import dataclasses

    from interform.providers.errors import ProviderError

    desired = next((r for r in ws.desired if r.address == item.address), None)
    if desired is None:
        return item
    try:
        state = connections[item.target].fetch(item.kind, item.state.remote_id, desired.body)
    except ProviderError:
        return item  # read as listed: the plan shows what differs
    return dataclasses.replace(item, state=state)


def _record_found(ws: Workspace, lock: Lockfile, item: Discovered) -> str:
    """Record an object this checkout defines (`_not_recorded` said it may)."""
    from interform.state.adoption import adopt, found_entry

    desired = next(r for r in ws.desired if r.address == item.address)
    entry = found_entry(
        item.identity,
        item.state,
        desired_source=desired.source,
        protect=desired.protect,
        removal=desired.removal.value if desired.removal else None,
    )
    outcome = adopt(lock, item.address, entry)
    how = "settles an interrupted create" if outcome == "settled" else "an apply made it"
    return (
        f"+ {item.address}: found by its ownership marker as {item.state.remote_id} ({how}); "
        "recorded"
    )


def _limits(ws: Workspace, lock: Lockfile) -> list[str]:
    """Say what refresh could not do, so nobody assumes a check that did not happen."""
    from interform.plan.removal import plural
    from interform.providers.registry import kind_spec
    from interform.state.discovery import unsearchable

    unread: dict[str, int] = {}
    for entry in lock.entries.values():
        spec = kind_spec(entry.provider, entry.kind)
        if not spec.readable:
            unread[spec.label] = unread.get(spec.label, 0) + 1
    notes = [
        f"{plural(label)} cannot be read back: drift not checked ({n})."
        for label, n in sorted(unread.items())
    ]
    labels = unsearchable(ws)
    if labels:
        notes.append(
            "Not searched for objects an interrupted apply left unrecorded (no ownership "
            f"marker, or no way to list them): {', '.join(plural(x) for x in labels)}."
        )
    return notes
