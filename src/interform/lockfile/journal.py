"""The apply journal: an fsync'd, append-only record of progress beside the lockfile.

Rewriting a lockfile that grows with the project after every remote call would make apply
quadratic (Terraform's weakness). Instead each checkpoint is one JSON line appended — O(1)
— and the journal is folded into the lockfile once at the end of apply, and at the next
start if a crash left one behind.

Only an intent must be durable before its call returns: it is what stops a create being
sent twice (a lost intent would leave an object nobody knows about). Every other record
is written at once but made durable by the next intent's sync or by `close()`, before the
lockfile is written: losing one to a power cut only leaves a create pending (settled by
lookup on the next run, never re-sent blindly) or repeats an idempotent update or removal.

Durable or refused: records are written whole into disk space allocated beforehand
(`reserved.py`), an intent setting aside room for its outcome, so a create that was sent
always gets its result recorded; a journal write that fails (disk full, read-only) raises
`StorageError` with nothing half-written, and the create it guards is not sent.

Records, one JSON object per line:
  begin     {lineage}                          the lockfile the apply started from
  intent    {address, entry}                   a create is about to be sent (entry holds the
                                               pending op: marker, digest, request)
  created   {address, entry}                   success: the full new entry; a different
                                               remote id already at the address (replace)
                                               is kept as a deposed entry until removed
  updated   {address, entry}
  removed   {address}
  moved     {from, to}
  failed    {address}                          the create certainly did not happen
  uncertain {address, detail}                  outcome unknown: stays pending
A torn last line (crash mid-write) is ignored: its operation was not yet acknowledged. So
are the NUL bytes of space allocated but not written yet.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from interform import hints
from interform.errors import Problem, UserError, shown
from interform.lockfile.checks import (
    address_errors,
    address_form_problem,
    address_problem,
)
from interform.lockfile.model import Entry, Lockfile, Pending
from interform.lockfile.reserved import Allocator, ReservedLog, Writer, allocate_space, content
from interform.lockfile.storage import StorageError
from interform.lockfile.store import journal_left, journal_path, read_lockfile, write_lockfile
from interform.model.address import (
    Address,
    deposed_address,
    is_resource_address,
    resource_address,
    undeposed,
)
from interform.untrusted import UntrustedInput, parse_json, read_regular

Record = dict[str, Any]


class Journal:
    """Appends checkpoint records; thread-safe. Each method returns the record it wrote,
    its entry as the object given, so a caller can replay it onto an in-memory lockfile
    (without parsing it back) and stay equal to what a fold produces.

    Concurrent intents share fsyncs (group commit): a writer whose record another
    writer's fdatasync already covered returns without one of its own, so N workers
    pay far fewer than N syncs."""

    def __init__(
        self,
        path: Path,
        lock: Lockfile,
        *,
        durable: bool = True,
        sync: Callable[[int], None] = os.fdatasync,
        write: Writer = os.pwrite,
        allocate: Allocator = allocate_space,
    ) -> None:
        self.path = path
        # durable=False skips fdatasync: records still survive the process being killed
        # (they are in the OS's cache), not the machine losing power
        self.durable = durable
        self._sync = sync
        self._mutex = threading.Lock()  # orders writes
        self._sync_mutex = threading.Lock()  # one fdatasync at a time
        self._written = 0  # records written
        self._synced = 0  # records known durable
        self._owed: dict[str, int] = {}  # bytes kept free for each pending outcome
        created = not path.exists()
        try:
            self._log = ReservedLog(path, write=write, allocate=allocate)
            if created and durable:
                _sync_directory(path.parent)  # else a power cut could lose the file itself
            self._append({"t": "begin", "lineage": lock.lineage})
        except OSError as err:
            self._discard(created)
            raise _refused(path, "start the journal", err) from err
        except StorageError:
            self._discard(created)
            raise

    def intent(self, address: str, entry: Entry) -> Record:
        """Durable when it returns, with the space for its outcome set aside: the create
        may be sent. Raises StorageError with nothing recorded when it cannot be."""
        return self._with_entry("intent", address, entry, durable=True)

    def created(self, address: str, entry: Entry) -> Record:
        return self._with_entry("created", address, entry)

    def updated(self, address: str, entry: Entry) -> Record:
        return self._with_entry("updated", address, entry)

    def removed(self, address: str) -> Record:
        return self._append({"t": "removed", "address": address})

    def moved(self, old: str, new: str) -> Record:
        return self._append({"t": "moved", "from": old, "to": new})

    def failed(self, address: str) -> Record:
        return self._append({"t": "failed", "address": address}, settles=address)

    def uncertain(self, address: str, detail: str) -> Record:
        record = {"t": "uncertain", "address": address, "detail": detail}
        return self._append(record, settles=address)

    def close(self) -> None:
        """Make every record durable (the lockfile is written next), then close."""
        with self._mutex:
            if self._log.fd < 0:
                return
            written = self._written
        self._sync_through(written)
        with self._mutex:
            self._log.close()

    def remove(self) -> None:
        """Delete the journal file once the lockfile holds everything in it — only if the
        file at its path is still this one (after a broken lock, another apply may have
        folded it and started its own)."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return
        if (stat.st_dev, stat.st_ino) == self._log.identity:
            self.path.unlink(missing_ok=True)

    def _with_entry(self, kind: str, address: str, entry: Entry, durable: bool = False) -> Record:
        # pydantic serialises the entry (most of the line) faster than json.dumps of a dump
        head = json.dumps({"t": kind, "address": address}, separators=(",", ":"))
        dumped = entry.model_dump_json(exclude_defaults=True)
        text = f'{head[:-1]},"entry":{dumped}}}'
        if kind == "intent":
            # its outcome holds the entry again, with what the platform answered
            ticket = self._write(text, owes=(address, 2 * len(text) + OUTCOME_ROOM))
        else:
            ticket = self._write(text, settles=address if kind == "created" else None)
        if durable:
            self._sync_through(ticket)
        return {"t": kind, "address": address, "entry": entry}

    def _append(self, record: Record, settles: str | None = None) -> Record:
        self._write(json.dumps(record, sort_keys=True, separators=(",", ":")), settles=settles)
        return record

    def _write(
        self, text: str, *, owes: tuple[str, int] | None = None, settles: str | None = None
    ) -> int:
        """Append one line; its number, for `_sync_through`. `owes` sets space aside for
        the outcome of an intent; `settles` gives back what its intent set aside."""
        line = (text + "\n").encode()
        with self._mutex:
            owed = self._owed.pop(settles, 0) if settles else 0
            keep = sum(self._owed.values()) + (owes[1] if owes else 0)
            try:
                self._log.append(line, keep_free=keep)
            except OSError as err:
                if settles:
                    self._owed[settles] = owed
                raise _refused(self.path, "write the journal", err) from err
            if owes:
                self._owed[owes[0]] = owes[1]
            self._written += 1
            return self._written

    def _sync_through(self, ticket: int) -> None:
        """Return once record number `ticket` is durable, syncing only if no other
        writer's sync has covered it meanwhile."""
        if not self.durable:
            return
        with self._sync_mutex:
            if self._synced >= ticket:
                return
            with self._mutex:
                covered = self._written
            try:
                self._sync(self._log.fd)
            except OSError as err:
                raise _refused(self.path, "make the journal durable", err) from err
            self._synced = covered

    def _discard(self, created: bool) -> None:
        """A journal that could not even start holds nothing: leave no file behind."""
        log = getattr(self, "_log", None)
        if log is not None:
            log.close()
        if created:
            with contextlib.suppress(OSError):
                self.path.unlink()


# bytes set aside for an outcome beyond twice its intent's size (links, private data)
OUTCOME_ROOM = 4096


def _refused(path: Path, doing: str, err: OSError) -> StorageError:
    return StorageError(
        path,
        doing,
        err,
        "nothing was sent that it does not record, and the next command folds what it holds",
    )


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The journal's records, each checked (its fields, their types, its addresses)
    before anything is replayed; a record's entry is parsed into an `Entry`."""
    try:
        raw = content(read_regular(path, follow_links=False))
    except UntrustedInput as err:
        message = f"cannot read the journal: {err.message}"
        raise UserError([_journal_problem(path, 0, message, _UNREADABLE_FIX)]) from None
    lines = raw.split(b"\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = parse_json(line)
        except UntrustedInput as err:
            if number >= len(lines) - 1:
                return  # torn final write: never acknowledged, safe to drop
            message = f"journal record is {err.message}"
            raise UserError([_journal_problem(path, number, message, _CORRUPT_FIX)]) from None
        problem = _record_problem(record)
        if problem is not None:
            raise UserError([_journal_problem(path, number, f"journal record: {problem}")])
        yield record


_FIX = "keep the journal, and check the objects it records with `interform state list`"
_UNREADABLE_FIX = "move it out of the way: interform writes its journal as a plain file"
_CORRUPT_FIX = "the journal is corrupt in the middle; keep it, and inspect it by hand"
_ADDRESSED = ("intent", "created", "updated", "removed", "failed", "uncertain")
_ENTRY_KINDS = ("intent", "created", "updated")


def _journal_problem(path: Path, line: int, message: str, fix: str = _FIX) -> Problem:
    return Problem(str(path), line, 1 if line else 0, message, fix)


def _record_problem(record: Any) -> str | None:
    """What is wrong with one parsed record; its `entry` becomes an `Entry` on the way."""
    if not isinstance(record, dict):
        return "not a JSON object"
    kind = record.get("t")
    if kind == "begin":
        return _begin_problem(record)
    if kind == "moved":
        return _moved_problem(record)
    if kind not in _ADDRESSED:
        return f"unknown record type {shown(str(kind))} (written by a newer interform?)"
    address = record.get("address")
    if not isinstance(address, str):
        return f"{kind} record has no address"
    if kind in _ENTRY_KINDS:
        return _entry_problem(record, address)
    if kind == "uncertain" and not isinstance(record.get("detail", ""), str):
        return "uncertain record: detail must be text"
    return address_form_problem(address)


def _begin_problem(record: dict[str, Any]) -> str | None:
    lineage = record.get("lineage")
    if not isinstance(lineage, str) or not 0 < len(lineage) <= 100:
        return "begin record has no lockfile lineage"
    return None


def _moved_problem(record: dict[str, Any]) -> str | None:
    ends = [record.get("from"), record.get("to")]
    if not all(isinstance(end, str) for end in ends):
        return "moved record needs `from` and `to` addresses"
    for end in ends:
        problem = address_form_problem(str(end))
        if problem is not None:
            return problem
    return None


def _entry_problem(record: dict[str, Any], address: str) -> str | None:
    from pydantic import ValidationError

    try:
        entry = Entry.model_validate(record.get("entry"))
    except ValidationError as err:
        where = ".".join(str(p) for p in err.errors()[0]["loc"]) or "entry"
        return f"{record['t']} {shown(address)}: {where}: {err.errors()[0]['msg']}"
    record["entry"] = entry
    return address_problem(address, entry)


def replay(lock: Lockfile, records: Iterable[dict[str, Any]], journal: str = "journal") -> int:
    """Apply journal records to `lock` in place. Returns how many records changed it."""
    applied = 0
    entries = lock.entries
    for record in records:
        kind = record.get("t")
        if kind == "begin":
            if record.get("lineage") != lock.lineage:
                raise UserError(
                    f"{journal} belongs to lockfile lineage {record.get('lineage')}, "
                    f"not {lock.lineage}",
                    fix="restore the lockfile it was written against, or move the journal "
                    "away after checking every object it records with "
                    f"`{hints.command('import', 'ADDRESS', 'REMOTE_ID')}`",
                )
            continue
        address = record.get("address", "")
        if kind == "intent":
            _apply_intent(entries, address, _entry(record["entry"]))
        elif kind == "created":
            _apply_created(entries, address, _entry(record["entry"]))
        elif kind == "updated":
            entries[address] = _entry(record["entry"])
        elif kind == "removed":
            entries.pop(address, None)
        elif kind == "moved":
            if record["from"] in entries:
                entries[record["to"]] = _readdressed(entries.pop(record["from"]), record["to"])
        elif kind == "failed":
            _apply_failed(entries, address)
        elif kind == "uncertain":
            _apply_uncertain(entries, address, str(record.get("detail", "")))
        else:
            raise UserError(f"{journal}: unknown record type {kind!r}", fix="upgrade interform")
        applied += 1
    return applied


def _entry(value: Entry | dict[str, Any]) -> Entry:
    """A record's entry: parsed from the file, or (a shallow copy of) the object a
    `Journal` method was given, so the caller's object is never changed by a replay."""
    if isinstance(value, Entry):
        return value.model_copy()
    return Entry.model_validate(value)


def _readdressed(entry: Entry, address: str) -> Entry:
    """A moved entry names its new address at once: a run killed between the move and
    the update that follows it must not leave an entry its address contradicts."""
    base = undeposed(address)
    if not is_resource_address(base):
        return entry
    named = Address.parse(base)
    moved = entry.model_copy(update={"interview": named.interview, "target": named.target})
    if entry.parent is not None:
        moved.parent = resource_address(named.interview, named.target)
    return moved


def _apply_intent(entries: dict[str, Entry], address: str, intent: Entry) -> None:
    current = entries.get(address)
    if current is None:
        entries[address] = intent
    else:  # a replacement: the old object stays tracked while the new one is pending
        current.pending = [*current.pending, *intent.pending]


def _apply_created(entries: dict[str, Entry], address: str, new: Entry) -> None:
    old = entries.get(address)
    if old is not None and old.remote_id and old.remote_id != new.remote_id:
        old.pending = [p for p in old.pending if p.op != "create"]
        entries[deposed_address(address, old.remote_id)] = old
    entries[address] = new


def _apply_failed(entries: dict[str, Entry], address: str) -> None:
    current = entries.get(address)
    if current is None:
        return
    current.pending = [p for p in current.pending if p.op != "create"]
    if current.remote_id is None and not current.pending:
        del entries[address]


def _apply_uncertain(entries: dict[str, Entry], address: str, detail: str) -> None:
    current = entries.get(address)
    if current is None:
        return
    current.pending = [
        Pending.model_validate({**p.model_dump(), "detail": detail}) if p.op == "create" else p
        for p in current.pending
    ]


def with_journal(lock: Lockfile | None, lockfile: Path) -> tuple[Lockfile | None, bool]:
    """The lockfile as the journal left beside it says it is, without writing anything
    (for read-only commands such as plan). Returns (lockfile, whether a journal exists)."""
    if not journal_left(lockfile):
        return lock, False
    path = journal_path(lockfile)
    records = list(read_records(path))
    if not records:
        # killed between creating the journal and its first record: nothing happened
        return lock, True
    lock = _lockfile_from_begin(records, path) if lock is None else lock.model_copy(deep=True)
    replay(lock, records, str(path))
    # what folding would write is checked like a lockfile read back: never write (or plan
    # from) a lockfile every later command would reject
    problems = [Problem(str(path), 0, 0, message, _FIX) for _, message in address_errors(lock)]
    if problems:
        raise UserError(problems)
    return lock, True


def fold(lockfile: Path, *, shared_ok: bool = False) -> bool:
    """Fold a leftover journal into the lockfile (atomic write), then remove the journal.
    Call only while holding the apply lock. Returns whether there was a journal."""
    path = journal_path(lockfile)
    if not path.exists():
        return False
    lock, _ = with_journal(read_lockfile(lockfile, shared_ok=shared_ok), lockfile)
    if lock is not None:  # None: a first apply killed before recording anything
        write_lockfile(lockfile, lock)
    path.unlink()
    return True


def _lockfile_from_begin(records: list[dict[str, Any]], path: Path) -> Lockfile:
    """The first apply of a project crashed before its lockfile was ever written."""
    begin = next((r for r in records if r.get("t") == "begin"), None)
    if begin is None:
        raise UserError(f"{path}: journal has no begin record", fix="inspect it by hand")
    return Lockfile(lineage=begin["lineage"])
