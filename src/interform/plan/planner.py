"""The planner: desired resources × lockfile (× remote state) → a `Plan`. Pure.

No I/O and no clock: everything that needs the network (remote state for drift, the
outcome of interrupted creates) is looked up by the caller and passed in, so a plan is
a function of its inputs and can be tested, and compared, as one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from interform import __version__
from interform.errors import Problem, UserError
from interform.lockfile.model import Entry, Lockfile
from interform.lockfile.store import entry_digest
from interform.model.address import deposed_address, is_deposed, undeposed
from interform.plan import pending as pend
from interform.plan.ignore import with_ignored
from interform.plan.model import REMOVALS, Action, Change, FieldDiff, Plan
from interform.plan.moves import resolve_moves
from interform.plan.order import ordered, select
from interform.plan.removal import (
    plural,
    removal_action,
    removal_mode,
    removal_note,
    replacement_note,
)
from interform.plan.renames import suggest_renames
from interform.providers.base import DesiredResource, Found, KindSpec, RemoteState, with_refs

GONE_REASON = "deleted outside interform (found by `interform refresh`): it is created again"

SpecLookup = Callable[[str, str], KindSpec]
Specs = Mapping[tuple[str, str], KindSpec] | SpecLookup

_UNREAD: Any = object()  # no remote state for this address (not refreshed, not readable)


def make_plan(
    desired: Iterable[DesiredResource],
    lock: Lockfile | None,
    *,
    specs: Specs,
    remote: Mapping[str, RemoteState | None] | None = None,
    resolved: Mapping[str, Found] | None = None,
    moves: Mapping[str, str] | None = None,
    select_patterns: Sequence[str] = (),
    exclude: Sequence[str] = (),
    replace: Sequence[str] = (),
) -> Plan:
    """Plan the changes that make the platforms match `desired`.

    `remote` (given when refreshing) holds the read-back state by lockfile address, None
    for an object gone from its platform; addresses absent from it were not read.
    `resolved` holds, by lockfile address, what `Provider.find` said about each pending
    create. `moves` is interform.yaml's `moves` (old definition address -> new).
    `replace` lists tracked addresses to make again even if nothing changed (-replace)."""
    planner = _Planner(desired, lock, _lookup(specs), remote, resolved or {}, moves or {})
    planner.replace = _replaceable(replace, planner)
    decided = ordered(planner.run())
    chosen, warnings = select(decided, select_patterns, exclude)
    shown = {c.address for c in chosen}
    changes = [c for c in chosen if c.action is not Action.NOOP]
    entries = lock.entries if lock else {}
    renames = suggest_renames(changes)
    return Plan(
        changes=changes,
        unchanged=len(chosen) - len(changes),
        lineage=lock.lineage if lock else None,
        entry_digests=_entry_digests(changes, entries),
        refreshed=remote is not None,
        warnings=sorted({*planner.warnings, *warnings}),
        interform_version=__version__,
        renames=renames,
        ignored={a: diffs for a, diffs in sorted(planner.ignored.items()) if a in shown},
    )


def _replaceable(addresses: Sequence[str], planner: _Planner) -> set[str]:
    """The -replace addresses, each an object the lockfile tracks and the definitions
    still define (the others cannot be made again: every problem at once)."""
    from interform import hints

    problems = []
    for address in addresses:
        entry = planner.entries.get(planner.moved_from.get(address, address))
        if address not in planner.desired:
            why = "no definition defines it (a removed object cannot be replaced)"
        elif entry is None or not entry.remote_id:
            why = "the lockfile does not track it yet (its create makes it new anyway)"
        else:
            continue
        fix = f"name a tracked address; `{hints.command('state', 'list')}` lists them"
        problems.append(Problem("", 0, 0, f"-replace {address}: {why}", fix))
    if problems:
        raise UserError(problems)
    return set(addresses)


def _lookup(specs: Specs) -> SpecLookup:
    if callable(specs):
        return specs
    table = specs
    return lambda provider, kind: table[(provider, kind)]


def _entry_digests(changes: Sequence[Change], entries: Mapping[str, Entry]) -> dict[str, str]:
    digests: dict[str, str] = {}
    for change in changes:
        for address in (change.address, change.moved_from):
            if address:
                entry = entries.get(address)
                digests[address] = entry_digest(entry) if entry is not None else ""
    return digests


class _Planner:
    def __init__(
        self,
        desired: Iterable[DesiredResource],
        lock: Lockfile | None,
        spec: SpecLookup,
        remote: Mapping[str, RemoteState | None] | None,
        resolved: Mapping[str, Found],
        moves: Mapping[str, str],
    ) -> None:
        self.desired = _by_address(desired)
        self.entries: Mapping[str, Entry] = lock.entries if lock else {}
        self.spec = spec
        self.remote = remote
        self.resolved = resolved
        self.moved_from, self.warnings = resolve_moves(self.desired, self.entries, moves)
        self.interviews = {r.interview for r in self.desired.values()}
        self.decided: dict[str, Change] = {}
        self.replace: set[str] = set()  # -replace addresses
        self.ignored: dict[str, list[FieldDiff]] = {}  # address -> differences not planned

    def run(self) -> list[Change]:
        # definition resources first: a session's plan depends on its parent's, and on
        # those of the objects it references (their ids go into its body)
        for res in sorted(self.desired.values(), key=self._precedence):
            self.decided[res.address] = self._desired(res)
        taken = set(self.desired) | set(self.moved_from.values())
        for address in sorted(self.entries):
            if address not in taken:
                self.decided.setdefault(address, self._leftover(address, self.entries[address]))
        self._link_removals()
        self._warn_unreadable()
        return list(self.decided.values())

    def _precedence(self, res: DesiredResource) -> tuple[bool, int, str]:
        return (res.parent is not None, self._ref_depth(res, 0), res.address)

    def _ref_depth(self, res: DesiredResource, seen: int) -> int:
        """How long the longest chain of objects `res` references is (a session refers
        to its candidate, which refers to the job): planned in that order."""
        refs = [self.desired[a] for a in res.refs.values() if a in self.desired]
        if not refs or seen > len(self.desired):
            return 0
        return 1 + max(self._ref_depth(r, seen + 1) for r in refs)

    def _ref_id(self, address: str) -> str | None:
        """The id a referenced object will have once applied, if it is known now."""
        change = self.decided.get(address)
        if change is None or change.action in (Action.CREATE, Action.REPLACE):
            return None
        return change.prior.remote_id if change.prior is not None else None

    # ------------------------------------------------------------ desired resources

    def _desired(self, res: DesiredResource) -> Change:
        old = self.moved_from.get(res.address)
        prior = self.entries.get(old or res.address)
        res = with_refs(res, self._ref_id)
        change = _change(res, prior, old)
        needed = [self.decided.get(a) for a in (res.parent, *res.refs.values()) if a]
        change.depends_on = sorted(
            {c.address for c in needed if c is not None and c.action is not Action.NOOP}
        )
        if prior is None:
            self._create(change, f"new in {res.source}")
        elif (op := pend.pending_create(prior)) is not None:
            self._pending(change, prior, op)
        elif prior.gone:
            self._create(change, GONE_REASON)
        elif pend.pending_op(prior, "remove") and self._remote_state(old or res.address) is _UNREAD:
            pend.block_removal(change)
        else:
            self._compare(change, prior, self._remote_state(old or res.address))
        blocked = next((c for c in needed if c is not None and c.action is Action.BLOCKED), None)
        if blocked is not None and change.action not in (Action.NOOP, Action.BLOCKED):
            change.action = Action.BLOCKED
            change.reason = f"waits for {blocked.address}, which is blocked"
        change.notes[:0] = _notes_for(change, res)
        return change

    def _remote_state(self, address: str) -> Any:
        return _UNREAD if self.remote is None else self.remote.get(address, _UNREAD)

    def _create(self, change: Change, reason: str) -> None:
        res = _desired_of(change)
        spec = self.spec(res.provider, res.kind)
        change.action = Action.CREATE
        change.reason = reason
        change.fields = [FieldDiff(name, None, res.body[name]) for name in sorted(res.body)]
        if spec.questions_field and spec.questions_field in res.body:
            # field diffs load only when something changed (docs/architecture.md, Speed)
            from interform.plan.questions import diff_questions

            change.questions = diff_questions([], res.body[spec.questions_field], spec)
            change.questions_field = spec.questions_field

    def _compare(self, change: Change, prior: Entry, state: Any) -> None:
        raw = _desired_of(change)
        if state is None:
            self._create(change, "deleted outside interform: it is created again")
            return
        spec = self.spec(raw.provider, raw.kind)
        recorded = prior.request or {}
        drifted: set[str] = set()
        current: Mapping[str, Any] = recorded
        if state is not _UNREAD:
            from interform.plan.fields import drifted_state  # read back: a rare path

            current, drifted = drifted_state(recorded, state.body, spec)
        drifted |= set(prior.drifted)  # found by `interform refresh`, recorded then
        res, ignored = with_ignored(raw, current)
        if ignored:  # the object keeps what it has in these; only report them
            self.ignored[change.address] = ignored
            change.desired = res
            drifted = {name for name in drifted if current.get(name) != res.body.get(name)}
        parent_reason = self._parent_reason(res, prior)
        meta = _recorded_only(res, prior)
        requested = change.address in self.replace
        quiet = not (parent_reason or change.moved_from or meta or prior.pending or requested)
        same = prior.digest == res.digest and not drifted
        if same and quiet:
            return  # the fast path: no field diff computed (nor its code loaded)
        # field diffs load only when something changed (docs/architecture.md, Speed)
        from interform.plan.fields import diff_bodies

        fields, questions = ([], []) if same else diff_bodies(current, res.body, spec, drifted)
        if ignored and quiet and not fields and not drifted:
            return  # only ignored values differ
        interrupted = pend.pending_op(prior, "update")
        if interrupted is not None and state is _UNREAD:
            # the platform holds either the recorded body or the one last sent: converge both
            fields = _union(fields, diff_bodies(interrupted.request or {}, res.body, spec)[0])
        change.fields, change.questions = fields, questions
        change.questions_field = spec.questions_field if questions else None
        _decide(change, spec, parent_reason, meta, drifted, edited=prior.digest != res.digest)
        if requested:
            _replace_requested(change, spec)
        if change.action is Action.REPLACE and ignored:
            self._replace_whole(change, raw, current, spec)
        if interrupted is not None and change.fields:
            change.reason = "; ".join(r for r in (change.reason, pend.INTERRUPTED_UPDATE) if r)
        elif interrupted is not None:
            change.reason = pend.SETTLED_UPDATE

    def _replace_whole(
        self, change: Change, raw: DesiredResource, current: Mapping[str, Any], spec: KindSpec
    ) -> None:
        """A new object is made from the definition as written: ignored values are sent
        too (as on any create), so they are changes again, not ignored ones."""
        from interform.plan.fields import diff_bodies  # a change: see `_compare`

        change.desired = raw
        change.fields, change.questions = diff_bodies(current, raw.body, spec)
        change.questions_field = spec.questions_field if change.questions else None
        self.ignored.pop(change.address, None)

    def _parent_reason(self, res: DesiredResource, prior: Entry) -> str | None:
        """Why a session must be made again under a new parent object, if it must."""
        spec = self.spec(res.provider, res.kind)
        if not spec.updatable:
            for address in res.refs.values():
                made = self.decided.get(address)
                if made is not None and made.action in (Action.REPLACE, Action.CREATE):
                    verb = "replaced" if made.action is Action.REPLACE else "created"
                    return f"{address} is {verb}, and its id is part of this object"
        if res.parent is None or not spec.session:
            return None  # only a session is made under its parent's id (a job is not)
        parent = self.decided.get(res.parent)
        if parent is not None and parent.action in (Action.REPLACE, Action.CREATE):
            verb = "replaced" if parent.action is Action.REPLACE else "created again"
            return f"its interview {parent.address} is {verb}; the session moves to the new one"
        expected = res.parent_remote_id
        if expected is None and parent is not None and parent.prior is not None:
            expected = parent.prior.remote_id
        if expected and prior.parent_remote_id and expected != prior.parent_remote_id:
            return f"it belongs to {prior.parent_remote_id}, but its interview is now {expected}"
        return None

    def _pending(self, change: Change, prior: Entry, op: Any) -> None:
        key = change.moved_from or change.address
        found = self.resolved.get(key)
        if (
            found is None
            or found.status == "undecidable"
            or (found.status == "found" and not found.remote_id)
        ):
            pend.block(change, op, found)
            return
        if found.status == "absent":
            cleaned = pend.without_create(prior)
            change.prior = cleaned if cleaned.remote_id else prior
            if cleaned.remote_id is None:
                self._create(change, "an interrupted create did not happen: it is created now")
            else:
                self._compare(change, cleaned, _UNREAD)
            return
        adopted = pend.adopted_entry(prior, op, found)
        if prior.remote_id and prior.remote_id != found.remote_id:
            self._depose(change.address, pend.without_create(prior))
        change.prior = adopted
        self._compare(change, adopted, _UNREAD)
        _as_adoption(change, found)

    def _depose(self, address: str, old: Entry) -> None:
        """The object an interrupted replacement left behind: remove it."""
        assert old.remote_id is not None
        deposed = deposed_address(address, old.remote_id)
        self.decided[deposed] = self._removal(deposed, old, f"left over from replacing {address}")

    # ------------------------------------------------------------ entries left over

    def _leftover(self, address: str, entry: Entry) -> Change:
        if is_deposed(address):
            base = undeposed(address)
            return self._removal(
                address,
                entry,
                f"a second object for {base}: left over from an interrupted replacement, or "
                "from merging two branches that both created it",
            )
        op = pend.pending_create(entry)
        if op is None:
            if entry.gone or self._remote_state(address) is None:
                change = _entry_change(address, entry, Action.FORGET)
                change.reason = "already gone from the platform: only the record is dropped"
                return change
            return self._removal(address, entry, self._why_removed(entry))
        found = self.resolved.get(address)
        if found is not None and found.status == "absent":
            change = _entry_change(address, entry, Action.FORGET)
            change.reason = "no longer defined, and its interrupted create did not happen"
            return change
        if found is not None and found.status == "found" and found.remote_id:
            adopted = pend.adopted_entry(entry, op, found)
            return self._removal(address, adopted, pend.adoption_reason(found))
        change = _entry_change(address, entry, Action.NOOP)
        pend.block(change, op, found)
        return change

    def _removal(self, address: str, entry: Entry, why: str = "") -> Change:
        if pend.pending_op(entry, "remove"):
            why = "; ".join(part for part in (pend.INTERRUPTED_REMOVAL, why) if part)
        spec = self.spec(entry.provider, entry.kind)
        mode = removal_mode(entry, spec)
        change = _entry_change(address, entry, removal_action(mode))
        change.reason = "; ".join(part for part in (why, removal_note(mode, spec)) if part)
        return change

    def _why_removed(self, entry: Entry) -> str:
        source = entry.source or entry.interview
        if entry.parent and entry.parent in self.desired:
            return f"no longer a session in {source}"
        if entry.interview in self.interviews:
            return f"{source} no longer deploys to {entry.target}"
        return f"{source} no longer defines it"

    def _link_removals(self) -> None:
        """A definition resource is removed after its sessions; a second object waiting
        for removal (`address~id`) after the sessions created under it."""
        for change in self.decided.values():
            prior = change.prior
            if change.action not in REMOVALS or prior is None or prior.parent is None:
                continue
            owners = [prior.parent]
            if prior.parent_remote_id:
                owners.append(deposed_address(prior.parent, prior.parent_remote_id))
            for owner in (self.decided[a] for a in owners if a in self.decided):
                if owner.action in REMOVALS and change.address not in owner.depends_on:
                    owner.depends_on = sorted([*owner.depends_on, change.address])

    def _warn_unreadable(self) -> None:
        if self.remote is None:
            return
        labels = set()
        for entry in self.entries.values():
            spec = self.spec(entry.provider, entry.kind)
            if not spec.readable:
                labels.add(spec.label)
        for label in sorted(labels):
            self.warnings.append(f"{plural(label)} cannot be read back; drift not checked")


# ----------------------------------------------------------------- helpers


def _by_address(desired: Iterable[DesiredResource]) -> dict[str, DesiredResource]:
    found: dict[str, DesiredResource] = {}
    clashes: list[Problem] = []
    for res in desired:
        if res.address in found:
            other = found[res.address].source
            message = f"{res.address} is also defined by {other}"
            clashes.append(Problem(res.source, 0, 0, message, "give each one a unique name"))
        found[res.address] = res
    if clashes:
        raise UserError(clashes)
    return found


def _change(res: DesiredResource, prior: Entry | None, moved_from: str | None) -> Change:
    return Change(
        res.identity,
        Action.NOOP,
        desired=res,
        prior=prior,
        moved_from=moved_from,
    )


def _notes_for(change: Change, res: DesiredResource) -> list[str]:
    """The resource's notes this change should repeat: all of them when the object is
    made (created or replaced) except those about a field it does not send, else only
    those about a field that changes — a note on every plan that touches the object is
    one reviewers learn to skip."""
    if change.action in (Action.CREATE, Action.REPLACE):
        # a note about a field the body leaves out is about removing it: not news here
        return [n for n in res.notes if res.note_fields.get(n, "") in ("", *res.body)]
    changed = {f.name for f in change.fields}
    if not changed:  # (a resource recalled from the lockfile makes its notes only if read)
        return []
    return [n for n in res.notes if res.note_fields.get(n) in changed]


def _entry_change(address: str, entry: Entry, action: Action) -> Change:
    return Change(entry.identity(address), action, prior=entry)


def _desired_of(change: Change) -> DesiredResource:
    assert change.desired is not None
    return change.desired


def _union(fields: list[FieldDiff], more: list[FieldDiff]) -> list[FieldDiff]:
    names = {f.name for f in fields}
    return sorted([*fields, *(f for f in more if f.name not in names)], key=lambda f: f.name)


def _recorded_only(res: DesiredResource, prior: Entry) -> list[str]:
    """Settings kept in the lockfile alone (nothing is sent when only these change)."""
    notes = []
    if res.protect != prior.protect:
        notes.append(f"protect: {str(prior.protect).lower()} → {str(res.protect).lower()}")
    removal = res.removal.value if res.removal else None
    if removal != prior.removal:
        notes.append(f"removal: {prior.removal or 'default'} → {removal or 'default'}")
    return notes


def _decide(
    change: Change,
    spec: KindSpec,
    parent_reason: str | None,
    meta: list[str],
    drifted: set[str],
    *,
    edited: bool,
) -> None:
    forced = [f.name for f in change.fields if f.forces_replacement]
    if parent_reason:
        change.action, change.reason = Action.REPLACE, parent_reason
    elif forced and spec.updatable:
        change.action = Action.REPLACE
        change.reason = _forced_reason(change.fields, spec)
    elif forced:
        change.action = Action.REPLACE
        article = "an" if spec.label[:1].lower() in "aeiou" else "a"
        change.reason = f"{article} {spec.label} cannot be updated in place"
    elif change.moved_from:
        change.action, change.reason = Action.MOVE, "renamed"
    else:
        change.action = Action.UPDATE
        if not change.fields:
            change.reason = _lockfile_only_reason(meta, drifted)
        elif edited and change.desired is not None:
            change.reason = f"{change.desired.source} changed"
    if change.action is Action.REPLACE and (cost := replacement_note(spec)):
        change.reason = f"{change.reason}; {cost}"
    outside = sorted(drifted & {f.name for f in change.fields})
    if outside:
        note = f"changed outside interform: {', '.join(outside)}; the plan restores the definition"
        change.reason = f"{change.reason}; {note}" if change.reason else note
    if meta and change.fields:
        change.notes.extend(meta)


def _forced_reason(fields: Sequence[FieldDiff], spec: KindSpec) -> str:
    """Why an object that updates in place must be made again."""
    forced = [f for f in fields if f.forces_replacement]
    changed = [f.name for f in forced if f.after is not None or f.name not in spec.uncleared]
    cleared = [f.name for f in forced if f.name not in changed]
    parts = [f"{', '.join(changed)} cannot be changed in place"] if changed else []
    if cleared:
        parts.append(
            f"{', '.join(cleared)} cannot be cleared in place (the platform documents no "
            "way to unset it)"
        )
    return "; ".join(parts)


def _replace_requested(change: Change, spec: KindSpec) -> None:
    """`-replace=ADDRESS`: made again whatever its fields say."""
    why = "replacement requested (-replace)"
    if change.action is not Action.REPLACE:
        cost = replacement_note(spec)
        change.action, change.reason = Action.REPLACE, f"{why}; {cost}" if cost else why
    else:
        change.reason = f"{why}; {change.reason}"


def _lockfile_only_reason(meta: list[str], drifted: set[str]) -> str:
    if meta:
        return f"{', '.join(meta)}; only the lockfile changes"
    if drifted:
        return "changed outside interform to the defined values; only the lockfile changes"
    return "only fields the platform ignores changed; only the lockfile changes"


def _as_adoption(change: Change, found: Found) -> None:
    reason = pend.adoption_reason(found)
    if change.action in (Action.NOOP, Action.UPDATE):
        change.action = Action.ADOPT
        change.reason = reason + ("; then updated in place" if change.fields else "")
    else:
        change.reason = f"{reason}; {change.reason}"
