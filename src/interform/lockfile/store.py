"""Reading and writing `interform.lock`: deterministic JSON, validated on read, upgraded
from older formats, written atomically.

The lockfile is the only map from YAML to remote objects, so a broken one is never
guessed at or overwritten: reading raises a `UserError` naming the problem and the
caller stops before anything could write.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import ValidationError

from interform import __version__, hints, platforms
from interform.atomic import atomic_write
from interform.digest import body_digest
from interform.errors import Problem, UserError, shown
from interform.lockfile.checks import address_errors
from interform.lockfile.model import FORMAT_VERSION, Entry, Lockfile
from interform.model.remote_id import SHAPE
from interform.untrusted import UntrustedInput, decode, parse_json, read_regular


def new_lockfile() -> Lockfile:
    return Lockfile(lineage=str(uuid.uuid4()))


def dumps_lockfile(lock: Lockfile) -> str:
    """Deterministic text: sorted keys, two-space indent, defaults omitted, trailing newline.
    Each entry's lines belong to it alone, so a change to one never touches another's."""
    data: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "lineage": lock.lineage,
        "entries": {
            address: entry.model_dump(mode="json", exclude_defaults=True)
            for address, entry in lock.entries.items()
        },
    }
    # pydantic-core's encoder writes the same layout as json.dumps(indent=2) several
    # times faster (the stdlib's C encoder is not used when indenting)
    return pydantic_core.to_json(_sorted(data), indent=2).decode() + "\n"


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def entry_digest(entry: Entry) -> str:
    """A stable digest of one entry (saved plans use it to notice an entry that moved on)."""
    return body_digest(entry.model_dump(mode="json", exclude_defaults=True))


def lockfile_digest(lock: Lockfile | None) -> str | None:
    """A digest of the whole lockfile as it would be written; None when there is none.
    Saved plans record it: any write since then (an apply, a merge) makes them stale.
    It costs a full dump, so it is computed only where a saved plan needs it."""
    if lock is None:
        return None
    return "sha256:" + hashlib.sha256(dumps_lockfile(lock).encode()).hexdigest()


def journal_path(lockfile: Path) -> Path:
    """Where an apply journals what it does, beside the lockfile (`lockfile.journal`)."""
    return lockfile.with_name(lockfile.name + ".journal")


def journal_left(lockfile: Path) -> bool:
    """An apply left a journal (it was interrupted): the lockfile alone is not the state."""
    path = journal_path(lockfile)
    return path.exists() or path.is_symlink()


def read_lockfile(path: Path, *, shared_ok: bool = False) -> Lockfile | None:
    """The lockfile at `path`, upgraded to the current format; None when there is none.
    `shared_ok` lets through a remote id tracked by two addresses (only for the command
    that repairs it, `state rm`)."""
    try:
        text = decode(read_regular(path))
    except FileNotFoundError:
        return None
    except UntrustedInput as err:
        message = f"cannot read the lockfile: {err.message}"
        raise UserError([_problem(path, message, line=err.line, col=err.col)]) from None
    return parse_lockfile(text, path, shared_ok=shared_ok)


def parse_lockfile(text: str, path: Path, *, shared_ok: bool = False) -> Lockfile:
    try:
        data = parse_json(text)
    except UntrustedInput as err:
        _refuse_conflict_markers(text, path)
        raise UserError([_problem(path, err.message, line=err.line, col=err.col)]) from None
    _refuse_repeated_keys(text, path)
    if not isinstance(data, dict):
        raise UserError([_problem(path, "expected a JSON object at the top level")])
    data = _upgrade(data, path)
    try:
        lock = Lockfile.model_validate(data)
    except ValidationError as err:
        raise UserError(_schema_problems(err, path, text)) from err
    lock = _managed_parts(lock)
    misplaced = address_errors(lock)
    problems = [_problem(path, msg, line=_line_of(text, a)) for a, msg in misplaced]
    if not shared_ok and not misplaced:  # an entry at a bad address is the problem there
        problems += _shared_problems(lock, path, text)
    if problems:
        raise UserError(problems)
    return lock


def _managed_parts(lock: Lockfile) -> Lockfile:
    """Objects an older interform made inline with others (Instaview jobs and candidates
    inside sessions) recorded at their own addresses, so they are managed, not made
    again: each platform's `lockfile_upgrade` (registry entry), in the registry's order."""
    for platform in platforms.registry().values():
        if platform.lockfile_upgrade is not None:
            upgrade: Callable[[Lockfile], Lockfile] = platforms.load(platform.lockfile_upgrade)
            lock = upgrade(lock)
    return lock


def _refuse_conflict_markers(text: str, path: Path) -> None:
    """A merge left unfinished: say so, with the command that finishes it."""
    from interform import hints
    from interform.lockfile.markers import first_marker_line

    line = first_marker_line(text)
    if line:
        resolve = hints.command("lockfile", "merge", "--resolve")
        add = hints.git(git_folder(path), "add", path.name)
        raise UserError(
            [
                Problem(
                    str(path),
                    line,
                    1,
                    "the lockfile holds git conflict markers: a merge of two branches that "
                    "both changed it is unfinished",
                    f"run `{resolve}`, which merges both sides object by object, then "
                    f"`{add}` (keeping one side would lose the objects only the other records)",
                )
            ]
        )


def write_lockfile(path: Path, lock: Lockfile) -> Lockfile:
    """Write atomically (temp file beside it, fsync, rename, fsync the directory) and
    return what was written: `lock` in the current format."""
    written = lock.model_copy(update={"version": FORMAT_VERSION})
    try:
        atomic_write(path, dumps_lockfile(written))
    except OSError as err:
        from interform.lockfile.storage import StorageError

        kept = f"{path.name} is as it was"
        if journal_path(path).exists():
            kept += f", and {journal_path(path).name} keeps every change for the next command"
        raise StorageError(path, "write the lockfile", err, kept) from err
    return written


# --------------------------------------------------------------------------- formats


def _upgrade(data: dict[str, Any], path: Path) -> dict[str, Any]:
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UserError([_problem(path, f"`version` must be a format number, not {version!r}")])
    if version > FORMAT_VERSION:
        raise UserError(
            [
                Problem(
                    str(path),
                    0,
                    0,
                    f"lockfile format {_short_number(version)} was written by a newer interform "
                    f"(this one, {__version__}, reads formats up to {FORMAT_VERSION})",
                    "upgrade interform (`pip install -U interform`) before using this lockfile",
                )
            ]
        )
    if version == 1:
        data = _upgrade_v1(data, path)
    if version <= 2:
        # format 2 also carried a write counter and the writing version
        data = {k: v for k, v in data.items() if k not in ("serial", "interform_version")}
    return {**data, "version": FORMAT_VERSION}


def _short_number(value: int) -> str:
    text = str(value)
    return text if len(text) <= 20 else f"{text[:20]}… ({len(text):,} digits)"


def _upgrade_v1(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """Format 1 kept entries as a list, each with an `address` field."""
    listed = data.get("entries", [])
    if not isinstance(listed, list):
        raise UserError([_problem(path, "format 1 `entries` must be a list")])
    entries: dict[str, Any] = {}
    problems: list[Problem] = []
    for index, item in enumerate(listed):
        if not isinstance(item, dict) or not isinstance(item.get("address"), str):
            problems.append(_problem(path, f"format 1 entry #{index + 1} has no `address`"))
            continue
        fields = {k: v for k, v in item.items() if k != "address"}
        if item["address"] in entries:
            problems.append(_problem(path, f"format 1 lists {item['address']} twice"))
        entries[item["address"]] = fields
    if problems:
        raise UserError(problems)
    return {**data, "entries": entries}


# --------------------------------------------------------------------------- problems


def _problem(path: Path, message: str, *, line: int = 0, col: int = 0) -> Problem:
    return Problem(str(path), line, col, message, restore_fix(path))


def restore_fix(path: Path) -> str:
    """How to get a good lockfile back: from git (at the path the user can type where
    they started), or, for the sandbox's own lockfile (never in git), a sandbox reset."""
    from interform import hints

    if path.parent.name == "sandbox" and path.parent.parent.name == ".interform":
        reset = hints.command("sandbox", "reset")
        return f"start the sandbox afresh with `{reset}`, or correct it by hand"
    restore = hints.git(git_folder(path), "checkout", "--", path.name)
    return f"restore it from git (`{restore}`) or correct it by hand"


def git_folder(path: Path) -> str:
    """The folder of `path` for a `git -C` hint: relative to the directory the run is in,
    or whole when outside it."""
    folder = os.path.relpath(path.parent) if path.is_absolute() else str(path.parent)
    return str(path.parent.resolve()) if folder.startswith("..") else folder


def _schema_problems(err: ValidationError, path: Path, text: str) -> list[Problem]:
    problems = []
    for detail in err.errors():
        loc = detail["loc"]
        if len(loc) >= 2 and loc[0] == "entries":
            address = str(loc[1])
            field = ".".join(str(part) for part in loc[2:]) or "(the entry)"
            where = f"entry {address if len(address) <= 200 else shown(address)}: field {field}"
            line = _line_of(text, address)
        else:
            where = "field " + (".".join(str(part) for part in loc) or "(top level)")
            line = 0
        problems.append(
            _problem(path, f"{where}: {_worded(detail)}", line=line, col=1 if line else 0)
        )
    return problems


def _worded(detail: Any) -> str:
    """pydantic's words, except for a remote id, where its regular expression would say
    less than the shape it encodes."""
    if detail["type"] == "string_pattern_mismatch" and str(detail["loc"][-1]).endswith("_id"):
        return f"not a platform id ({SHAPE})"
    return str(detail["msg"])


def _line_of(text: str, address: str) -> int:
    """Line of an entry's key; the writer's layout puts each on its own line."""
    at = text.find(json.dumps(address, ensure_ascii=False) + ":")
    return text.count("\n", 0, at) + 1 if at >= 0 else 0


def _refuse_repeated_keys(text: str, path: Path) -> None:
    """A key given twice (a merge or a hand edit): the JSON parser silently kept the
    last, losing whatever the other one held. Parsed again, only to find out."""
    from interform.lockfile.integrity import DuplicateKey, check_unique_keys

    try:
        check_unique_keys(text)
    except DuplicateKey as err:
        raise UserError(_duplicate_problems(text, path, err.key)) from None


def _duplicate_problems(text: str, path: Path, key: str) -> list[Problem]:
    from interform.lockfile.integrity import repeated_keys

    repeats = repeated_keys(text)
    if not repeats:  # another layout than interform's: the key is all that is known
        return [_problem(path, f"key {json.dumps(key)} appears twice in one object")]
    return [
        Problem(
            str(path),
            r.line,
            1,
            f"key {json.dumps(r.key)} appears twice in {r.path} (first on line {r.first}); "
            "a JSON reader would silently keep only the last",
            f"keep the right one: restore {path.name} from git, or delete the other by hand",
        )
        for r in repeats
    ]


def _shared_problems(lock: Lockfile, path: Path, text: str) -> list[Problem]:
    from interform.lockfile.integrity import shared_remote_ids

    problems = []
    for shared in shared_remote_ids(lock):
        first, *others = shared.addresses
        problems += [
            Problem(
                str(path),
                _line_of(text, other),
                1,
                f"{other} and {first} track the same remote object {shared.remote_id}",
                f"an object belongs to one address: `{hints.command('state', 'rm', other)}` (or "
                f"`{hints.command('state', 'rm', first)}`) keeps it at the other one, and the next "
                "plan "
                f"creates the one removed anew; or restore {path.name} from git",
            )
            for other in others
        ]
    return problems
