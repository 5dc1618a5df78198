"""`state rm`, `state mv` and `state unprotect`: changes to the lockfile alone. Nothing
here talks to a platform; each function checks every address first and changes nothing
unless all of them are valid (every problem reported at once)."""

from __future__ import annotations

from collections.abc import Sequence

from interform import hints
from interform.errors import Problem, UserError
from interform.lockfile.journal import DEPOSED_SEPARATOR
from interform.lockfile.model import Entry, Lockfile
from interform.model.address import Address


def list_fix() -> str:
    return f"`{hints.command('state', 'list')}` shows what is tracked"


def remove(lock: Lockfile, addresses: Sequence[str], where: str) -> list[str]:
    """Stop tracking `addresses`; the remote objects stay as they are. At an address
    whose replacement was interrupted, only the interrupted create is dropped: the object
    it was replacing stays tracked (dropping it too would leave it live and forgotten)."""
    wanted = list(dict.fromkeys(addresses))
    problems = [_untracked(a, where) for a in wanted if a not in lock.entries]
    replacing = [a for a in wanted if a in lock.entries and _replacing(lock.entries[a])]
    wanted = [a for a in wanted if a not in replacing]
    for address in wanted:
        left = sorted(a for a, e in lock.entries.items() if e.parent == address and a not in wanted)
        if address in lock.entries and left:
            problems.append(
                Problem(
                    where,
                    0,
                    0,
                    f"{address} has sessions that would stay tracked without it: "
                    + ", ".join(left),
                    "name them in the same command to stop tracking them too",
                )
            )
    if problems:
        raise UserError(problems)
    lines = [_create_dropped(address, lock.entries[address]) for address in replacing]
    return lines + [_forgotten(address, lock.entries.pop(address)) for address in wanted]


def _replacing(entry: Entry) -> bool:
    return entry.remote_id is not None and any(p.op == "create" for p in entry.pending)


def _create_dropped(address: str, entry: Entry) -> str:
    from interform.providers.registry import kind_spec

    label = kind_spec(entry.provider, entry.kind).label
    entry.pending = [p for p in entry.pending if p.op != "create"]
    return (
        f"{address}: dropped the interrupted create of its replacement (if that {label} "
        f"exists, it stays on {entry.target} unmanaged); {entry.remote_id} stays tracked, "
        f"so the next apply replaces it again. Run `{hints.command('state', 'rm', address)}` "
        "once more "
        "to stop tracking it too"
    )


def _forgotten(address: str, entry: Entry) -> str:
    from interform.providers.registry import kind_spec

    label = kind_spec(entry.provider, entry.kind).label
    if entry.remote_id is None:
        return (
            f"{address}: no longer tracked (its create was interrupted; if the {label} "
            f"exists, it stays on {entry.target} unmanaged)"
        )
    return (
        f"{address}: no longer tracked; the {label} {entry.remote_id} stays on "
        f"{entry.target}, untouched"
    )


def move(lock: Lockfile, old: str, new: str, where: str) -> list[str]:
    """Re-key `old` (with its sessions and deposed objects) as `new`."""
    problems = _move_problems(lock, old, new, where)
    renames = {} if problems else _renames(lock, old, new)
    clashes = sorted(to for to in renames.values() if to in lock.entries and to not in renames)
    problems += [
        Problem(where, 0, 0, f"{to} is already tracked", "remove or move it first")
        for to in clashes
    ]
    if problems:
        raise UserError(problems)
    moved = {to: _rekeyed(lock.entries.pop(frm), to, renames) for frm, to in renames.items()}
    lock.entries.update(moved)
    return [f"{frm} → {to}" for frm, to in sorted(renames.items())]


def _move_problems(lock: Lockfile, old: str, new: str, where: str) -> list[Problem]:
    if old not in lock.entries:
        return [_untracked(old, where)]
    if DEPOSED_SEPARATOR in old:
        fix = f"the next apply removes it; `{hints.command('state', 'rm', old)}` stops tracking it"
        return [Problem(where, 0, 0, f"{old} is an object left over from a replacement", fix)]
    try:
        before, after = Address.parse(old), Address.parse(new)
    except ValueError as err:
        return [Problem(where, 0, 0, str(err), "write it as INTERVIEW@TARGET[#SESSION]")]
    if before.target != after.target:
        fix = "interform cannot move objects between accounts; import the object instead"
        return [Problem(where, 0, 0, f"{new} is on another target than {old}", fix)]
    if (before.session is None) != (after.session is None):
        fix = "move an interview to an interview address and a session to a session address"
        return [Problem(where, 0, 0, f"{old} and {new} are different kinds of object", fix)]
    if new in lock.entries:
        return [Problem(where, 0, 0, f"{new} is already tracked", "remove or move it first")]
    return []


def _renames(lock: Lockfile, old: str, new: str) -> dict[str, str]:
    """`old` and everything keyed under it: its sessions and deposed objects."""
    renames = {old: new}
    for address in lock.entries:
        base, sep, rest = address.partition(DEPOSED_SEPARATOR)
        if base.startswith(old + "#") and not Address.parse(old).session:
            renames[address] = new + address[len(old) :]
        elif sep and base == old:
            renames[address] = new + sep + rest
    return renames


def _rekeyed(entry: Entry, to: str, renames: dict[str, str]) -> Entry:
    address = Address.parse(to.partition(DEPOSED_SEPARATOR)[0])
    parent = str(address.parent) if address.parent else None
    if entry.parent is not None and parent is None:
        parent = renames.get(entry.parent, entry.parent)
    return entry.model_copy(update={"interview": address.interview, "parent": parent})


def unprotect(lock: Lockfile, addresses: Sequence[str], where: str) -> list[str]:
    """Clear `protect`, so a deleted protected definition can be removed by apply."""
    problems = [_untracked(a, where) for a in addresses if a not in lock.entries]
    if problems:
        raise UserError(problems)
    lines = []
    for address in dict.fromkeys(addresses):
        entry = lock.entries[address]
        if not entry.protect:
            lines.append(f"{address}: was not protected")
            continue
        entry.protect = False
        lines.append(f"{address}: no longer protected; a plan may now remove or replace it")
    return lines


def _untracked(address: str, where: str) -> Problem:
    return Problem(where, 0, 0, f"{address} is not in the lockfile", list_fix())
