"""The order of a plan's changes, and choosing a subset with --target/--exclude.

Changes are grouped by remote object (definition resource, then its sessions) in
address order; creates and updates of a definition, its job and candidates come before
its sessions, removals after them, so a plan reads (and applies) in dependency order
whatever the order in which files were found.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from interform.model.address import definition_address, is_part, is_session, matches
from interform.plan.model import REMOVALS, Action, Change


def order_key(change: Change) -> tuple[str, int, str]:
    """Made in the order objects need each other (the definition, its job and
    candidates, its sessions), removed in the reverse one."""
    removal = change.action in REMOVALS
    if is_part(change.address):
        phase = 3 if removal else 1
    elif is_session(change.address):
        phase = 2
    else:
        phase = 4 if removal else 0
    return (definition_address(change.address), phase, change.address)


def ordered(changes: Iterable[Change]) -> list[Change]:
    return sorted(changes, key=order_key)


def select(
    changes: Sequence[Change], targets: Sequence[str], excludes: Sequence[str]
) -> tuple[list[Change], list[str]]:
    """The changes chosen by address globs, with what they depend on; and warnings."""
    if not targets and not excludes:
        return list(changes), []
    targets, excludes = tuple(targets), tuple(excludes)
    warnings = [
        f"--target {pattern} matches nothing"
        for pattern in targets
        if not any(matches(c.address, (pattern,)) for c in changes)
    ]
    chosen = {
        c.address
        for c in changes
        if (not targets or matches(c.address, targets)) and not matches(c.address, excludes)
    }
    by_address = {c.address: c for c in changes}
    warnings += _close_over_dependencies(chosen, by_address, excludes)
    return [c for c in changes if c.address in chosen], warnings


def _close_over_dependencies(
    chosen: set[str], by_address: dict[str, Change], excludes: tuple[str, ...]
) -> list[str]:
    warnings: list[str] = []
    pending = sorted(chosen)
    while pending:
        address = pending.pop(0)
        if address not in chosen:
            continue
        for dep in by_address[address].depends_on:
            needed = by_address.get(dep)
            if needed is None or needed.action is Action.NOOP or dep in chosen:
                continue
            if matches(dep, excludes):
                chosen.discard(address)
                warnings.append(f"{address} is left out: it needs {dep}, which is excluded")
                break
            chosen.add(dep)
            needed.notes.append(f"planned because {address} needs it")
            pending.append(dep)
    return warnings
