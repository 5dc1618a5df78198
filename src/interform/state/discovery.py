"""Rediscovering objects by their ownership marker (`Provider.discover`).

In CI the runner's disk goes with the job: an apply killed there leaves objects on the
platforms that no lockfile records, and no journal either. Their markers
(`interform:<project>:<address>`) say whose they are and where they belong, so
`interform refresh` records them and the next apply adopts them instead of making them
twice. Only kinds with a marker that the platform can list are searched; the others are
named, so nobody assumes a search that did not happen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interform.model.address import Address, is_deposed
from interform.model.identity import Identified, Identity

if TYPE_CHECKING:
    from interform.apply.connect import Connections
    from interform.lockfile.model import Lockfile
    from interform.providers.base import KindSpec, RemoteState
    from interform.workspace import Workspace


@dataclass(frozen=True)
class Found(Identified):
    """One marked object on one target that no lockfile entry records."""

    identity: Identity  # at the address its marker names
    state: RemoteState


@dataclass
class Discovery:
    found: list[Found]
    failures: dict[str, str]  # target/kind -> what went wrong
    other_projects: int  # marked objects of another project, left alone


def searchable(spec: KindSpec) -> bool:
    return spec.discoverable and spec.marker is not None


def discovery_targets(ws: Workspace) -> list[str]:
    from interform.providers.registry import provider_class

    return sorted(
        name
        for name, target in ws.project.targets.items()
        if any(searchable(s) for s in provider_class(target.provider).kinds.values())
    )


def unsearchable(ws: Workspace) -> list[str]:
    """Labels of the kinds this project uses that cannot be rediscovered."""
    from interform.providers.registry import provider_class

    labels = {
        spec.label
        for target in ws.project.targets.values()
        for spec in provider_class(target.provider).kinds.values()
        if not searchable(spec)
    }
    return sorted(labels)


def discover(ws: Workspace, connections: Connections, lock: Lockfile, project_id: str) -> Discovery:
    from interform.providers.errors import ProviderError

    tracked = {(e.target, e.remote_id) for e in lock.entries.values() if e.remote_id}
    result = Discovery([], {}, 0)
    for target in discovery_targets(ws):
        provider = connections[target]
        for spec in provider.kinds.values():
            if not searchable(spec):
                continue
            try:
                states = list(provider.discover(spec.kind))
            except ProviderError as err:
                result.failures[f"{target} ({spec.label})"] = err.describe()
                continue
            untracked = [s for s in states if (target, s.remote_id) not in tracked]
            _sort(result, untracked, target, provider.name, spec.kind, project_id)
    return result


def _sort(
    result: Discovery,
    states: Iterable[RemoteState],
    target: str,
    provider: str,
    kind: str,
    project_id: str,
) -> None:
    from interform.providers.base import parse_marker

    for state in states:
        owner = parse_marker(state.marker)
        if owner is None:
            continue
        project, address = owner
        if project != project_id:
            result.other_projects += 1
        elif _address_on(address, target):
            result.found.append(Found(Identity.at(address, provider, kind), state))


def _address_on(address: str, target: str) -> bool:
    """A marker naming another target belongs to that target's scan (two targets may
    share one account)."""
    try:
        return not is_deposed(address) and Address.parse(address).target == target
    except ValueError:
        return False
