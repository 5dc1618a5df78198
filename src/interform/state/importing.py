"""`interform import ADDRESS REMOTE_ID`: adopt an object that exists on a platform.

The object is read by id (`Provider.fetch`) and recorded as if interform had applied the
body it has now, so the next plan shows exactly what it takes to make it match its
definition. Importing is also how a user settles a create the plan shows as BLOCKED
(an interrupted apply that cannot tell whether the platform made the object): the
pending create is replaced by the object imported.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interform import hints
from interform.errors import Problem, UserError
from interform.model.address import Address
from interform.model.identity import Identified, Identity
from interform.model.remote_id import remote_id_problem
from interform.model.webhooks import webhook_name
from interform.project_root import PROJECT_FILE

if TYPE_CHECKING:
    from interform.lockfile.model import Lockfile
    from interform.providers.base import DesiredResource, KindSpec, RemoteState
    from interform.workspace import Workspace


@dataclass(frozen=True)
class Subject(Identified):
    """What an address names: the object (its target, platform and kind) and the
    definition's resource there, if there is one."""

    identity: Identity
    spec: KindSpec
    desired: DesiredResource | None

    @property
    def parsed(self) -> Address:
        return Address.parse(self.address)


def run_import(
    ws: Workspace, address: str, remote_id: str, *, generate: bool, lock_timeout: float
) -> list[str]:
    """Fetch, optionally write the definition, then record: a refused import leaves
    neither a definition file nor a lockfile change behind."""
    from interform.state.access import StateFile
    from interform.state.generate import check_generate, discard, write_definition

    problem = remote_id_problem(remote_id)
    if problem is not None:
        raise UserError(problem, fix="pass the id the platform shows for the object")
    subj = subject(ws, address)
    check_address(ws.lock, subj, remote_id)
    if generate:
        check_generate(ws, subj)
    state = fetch(ws, subj, remote_id)
    written: str | None = None
    try:
        with StateFile.of(ws).mutate("import", lock_timeout) as lock:
            if generate:
                subj = dataclasses.replace(subj, desired=write_definition(ws, subj, state))
                written = subj.desired.source if subj.desired else None
            lines = record(lock, subj, state)
    except BaseException:
        if written:
            discard(ws, written)
        raise
    if written:
        lines.append(f"Wrote {written}; `{hints.command('plan')}` shows no change for it.")
    return lines


def subject(ws: Workspace, address: str) -> Subject:
    from interform.providers.registry import provider_class

    try:
        parsed = Address.parse(address)
    except ValueError as err:
        raise UserError(str(err), fix="write it as INTERVIEW@TARGET[#SESSION]") from None
    target = ws.project.targets.get(parsed.target)
    if target is None:
        known = ", ".join(sorted(ws.project.targets)) or "none"
        raise UserError(
            [Problem(PROJECT_FILE, 0, 0, f"no target {parsed.target!r}", f"use one of: {known}")]
        )
    desired = next((r for r in ws.desired if r.address == address), None)
    cls = provider_class(target.provider)
    if desired is not None:
        spec = cls.kinds[desired.kind]
    elif webhook_name(parsed.interview) and "webhook" in cls.kinds and parsed.session is None:
        spec = cls.kinds["webhook"]  # a webhook interform.yaml does not declare (yet)
    else:
        spec = next(s for s in cls.kinds.values() if s.session == (parsed.session is not None))
    return Subject(Identity.at(address, target.provider, spec.kind), spec, desired)


def fetch(ws: Workspace, subj: Subject, remote_id: str) -> RemoteState:
    """The object as the platform has it; a platform refusal is a user error."""
    from interform.apply.connect import connect
    from interform.providers.base import with_refs
    from interform.providers.errors import NotFound, ProviderError

    entries = ws.lock.entries if ws.lock else {}
    # the ids of the objects it references, as tracked: the body its definition gives now
    desired = (
        with_refs(subj.desired, lambda a: entries[a].remote_id if a in entries else None)
        if subj.desired is not None
        else None
    )
    like = desired.body if desired is not None else None
    with connect(ws, [subj.target]) as connections:
        try:
            return connections[subj.target].fetch(subj.kind, remote_id, like)
        except NotFound as err:
            raise UserError(
                f"{subj.address}: {subj.target} has no {subj.spec.label} {remote_id} "
                f"({err.message})",
                fix="check the id on the platform (and that the target is the right account)",
            ) from None
        except ProviderError as err:
            raise UserError(
                f"{subj.address}: cannot read {subj.spec.label} {remote_id}: {err.describe()}",
                fix="check the target's credential and try again",
            ) from None


def record(lock: Lockfile, subj: Subject, state: RemoteState) -> list[str]:
    """Track `state` at the subject's address (under the apply lock)."""
    from interform.state.adoption import adopt, found_entry

    _refuse_tracked_elsewhere(lock, subj, state.remote_id)
    current = lock.entries.get(subj.address)
    pending = current is not None and any(p.op == "create" for p in current.pending)
    if current is not None and current.remote_id not in (None, state.remote_id) and not pending:
        raise UserError(
            f"{subj.address} already tracks {subj.spec.label} {current.remote_id}",
            fix=f"to track {state.remote_id} instead, "
            f"`{hints.command('state', 'rm', subj.address)}` first",
        )
    desired = subj.desired
    entry = found_entry(
        subj.identity,
        state,
        desired_source=desired.source if desired else None,
        protect=desired.protect if desired else False,
        removal=desired.removal.value if desired and desired.removal else None,
    )
    outcome = adopt(lock, subj.address, entry)
    if outcome == "known":
        return [f"{subj.address} already tracks {subj.spec.label} {state.remote_id}"]
    lines = [f"Imported {subj.address}: {subj.spec.label} {state.remote_id}"]
    if outcome == "settled":
        lines.append("  it settles the create an interrupted apply left pending")
    lines += [f"  {key}: {value}" for key, value in sorted(state.urls.items())]
    return lines + _consequences(lock, subj, state)


def _refuse_tracked_elsewhere(lock: Lockfile, subj: Subject, remote_id: str) -> None:
    for address, entry in lock.entries.items():
        same = entry.remote_id == remote_id and entry.provider == subj.provider
        if same and entry.kind == subj.kind and address != subj.address:
            raise UserError(
                f"{subj.spec.label} {remote_id} is already tracked as {address}",
                fix=f"to re-key it, run `{hints.command('state', 'mv', address, subj.address)}`",
            )


def _consequences(lock: Lockfile, subj: Subject, state: RemoteState) -> list[str]:
    """What the next plan will do about the imported object, when it is not obvious."""
    lines = []
    if subj.desired is None:
        lines.append(
            f"  no definition deploys it: the next plan removes it unless "
            f"{subj.interview} is defined for {subj.target} "
            f"(`{hints.command('import', '--generate', subj.address, state.remote_id)}` "
            "writes one)"
        )
    if subj.provider == "jobmojito" and subj.desired and subj.desired.body.get("is_embedded"):
        lines.append(
            "  JobMojito does not say whether an interview is embedded: recorded as its "
            f"definition says; `{hints.command('embed-key', subj.address)}` fetches its embed "
            "id and "
            "signing key (and turns embedding on if it was off)"
        )
    owner = subj.parent
    parent = lock.entries.get(owner) if owner else None
    if parent is not None and state.parent_remote_id not in (None, parent.remote_id):
        lines.append(
            f"  it belongs to {state.parent_remote_id}, not to {owner} "
            f"({parent.remote_id}): the next plan makes it again under {owner}"
        )
    return lines


def check_address(lock: Lockfile | None, subj: Subject, remote_id: str) -> None:
    """Refuse early, before any request, what `record` would refuse anyway."""
    current = lock.entries.get(subj.address) if lock else None
    if current is None or current.remote_id in (None, remote_id):
        return
    if not any(p.op == "create" for p in current.pending):
        raise UserError(
            f"{subj.address} already tracks {subj.spec.label} {current.remote_id}",
            fix=f"`{hints.command('state', 'rm', subj.address)}` first to track another "
            "object there",
        )
