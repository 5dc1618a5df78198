"""What a lockfile (or a journal folded into one) must satisfy beyond its schema: every
entry sits at the address its own fields name, a deposed entry's address carries a valid
remote id, and each entry's digest is the digest of the request it records."""

from __future__ import annotations

from interform.digest import has_digest
from interform.errors import shown
from interform.lockfile.model import Entry, Lockfile
from interform.model.address import Address, is_resource_address, split_deposed, undeposed
from interform.model.remote_id import remote_id_problem


def address_form_problem(address: str) -> str | None:
    """Why `address` is not the address of a lockfile entry (None: it is)."""
    base, old_id = split_deposed(address)
    if not is_resource_address(base):
        return f"entry {shown(address)}: not a resource address"
    if old_id is not None and remote_id_problem(old_id) is not None:
        return f"entry {shown(address)}: {remote_id_problem(old_id)}"
    return None


def address_problem(address: str, entry: Entry) -> str | None:
    """Why `entry` cannot be kept at `address` (None: it can)."""
    problem = address_form_problem(address)
    if problem is not None:
        return problem
    named = Address.parse(undeposed(address))
    if (named.interview, named.target) != (entry.interview, entry.target):
        return (
            f"entry {address}: interview/target "
            f"{shown(entry.interview)}@{shown(entry.target)} do not match its address"
        )
    return None


def address_errors(lock: Lockfile) -> list[tuple[str, str]]:
    """(address, what is wrong) for every misplaced entry."""
    found = ((address, address_problem(address, entry)) for address, entry in lock.entries.items())
    return [(address, problem) for address, problem in found if problem is not None]


def digest_mismatches(lock: Lockfile) -> list[str]:
    """Addresses of entries whose `digest` is not the digest of their `request`: edited
    by hand (or by a tampered saved plan), so neither can be trusted to say what the
    platform holds."""
    return sorted(
        address
        for address, entry in lock.entries.items()
        if entry.request is not None
        and entry.digest is not None
        and not has_digest(entry.request, entry.digest)
    )
