"""Renames: which lockfile entry each desired resource takes over.

A resource declares `moved_from` (its previous address), or interform.yaml lists
`moves` (old definition address -> new); sessions follow their parent. A move whose old
entry is gone was already applied and is ignored, so `moved_from` may stay in the YAML.
"""

from __future__ import annotations

from collections.abc import Mapping

from interform.lockfile.model import Entry
from interform.model.address import is_deposed, with_interview
from interform.providers.base import DesiredResource


def resolve_moves(
    desired: Mapping[str, DesiredResource],
    entries: Mapping[str, Entry],
    moves: Mapping[str, str],
) -> tuple[dict[str, str], list[str]]:
    """(new address -> old address, warnings about moves that cannot happen)."""
    found: dict[str, str] = {}
    warnings: list[str] = []
    for new, old in _candidates(desired, entries, moves):
        problem = _refusal(new, old, desired, entries, found)
        if problem:
            warnings.append(problem)
        elif old in entries:
            found[new] = old
    for res in desired.values():  # sessions follow their parent
        if res.parent and res.address not in found and res.parent in found:
            old = found[res.parent] + res.address[len(res.parent) :]
            if old in entries and old not in desired and res.address not in entries:
                found[res.address] = old
    return found, sorted(set(warnings))


def _candidates(
    desired: Mapping[str, DesiredResource],
    entries: Mapping[str, Entry],
    moves: Mapping[str, str],
) -> list[tuple[str, str]]:
    pairs = [(a, r.moved_from) for a, r in desired.items() if r.moved_from]
    for address, entry in entries.items():
        new_interview = moves.get(entry.interview)
        if new_interview and not is_deposed(address):
            pairs.append((with_interview(address, new_interview), address))
    return sorted(pairs)


def _refusal(
    new: str,
    old: str,
    desired: Mapping[str, DesiredResource],
    entries: Mapping[str, Entry],
    found: Mapping[str, str],
) -> str | None:
    if old not in entries or new == old:
        return None  # already moved (or nothing to move): nothing to say
    if new not in desired:
        return f"move {old} → {new}: nothing defines {new}; the move is ignored"
    if old in desired:
        return f"move {old} → {new}: {old} is still defined, so it is not moved"
    if new in entries:
        return f"move {old} → {new}: {new} is already in the lockfile; the move is ignored"
    if new in found and found[new] != old:
        return f"move {old} → {new}: {new} already takes over {found[new]}; the move is ignored"
    if old in found.values() and found.get(new) != old:
        return f"move {old} → {new}: {old} is already moved elsewhere; the move is ignored"
    return None
