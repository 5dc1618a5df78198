"""What a lockfile (or a journal folded into one) must satisfy beyond its schema: every
entry sits at the address its own fields name, a deposed entry's address carries a valid
remote id, and each entry's digest is the digest of the request it records."""

from __future__ import annotations

from interform.digest import body_digest
from interform.errors import shown
from interform.lockfile.model import Entry, Lockfile
from interform.model.address import RESOURCE_RE
from interform.model.remote_id import remote_id_problem

# a replaced object awaiting removal is kept as `<address>~<old remote id>`
DEPOSED_SEPARATOR = "~"


def address_form_problem(address: str) -> str | None:
    """Why `address` is not the address of a lockfile entry (None: it is)."""
    base, deposed, old_id = address.partition(DEPOSED_SEPARATOR)
    if not RESOURCE_RE.match(base):
        return f"entry {shown(address)}: not a resource address"
    if deposed and remote_id_problem(old_id) is not None:
        return f"entry {shown(address)}: {remote_id_problem(old_id)}"
    return None


def address_problem(address: str, entry: Entry) -> str | None:
    """Why `entry` cannot be kept at `address` (None: it can)."""
    problem = address_form_problem(address)
    if problem is not None:
        return problem
    m = RESOURCE_RE.match(address.partition(DEPOSED_SEPARATOR)[0])
    assert m is not None
    if (m["interview"], m["target"]) != (entry.interview, entry.target):
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
        and body_digest(entry.request) != entry.digest
    )
