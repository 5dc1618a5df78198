"""Plan and Change: what `plan` computes, `show` renders and `apply` executes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from interform.lockfile.model import Entry
from interform.model.identity import Identified, Identity
from interform.providers.base import DesiredResource


class Action(str, Enum):
    CREATE = "create"
    UPDATE = "update"  # in place
    REPLACE = "replace"  # create the new object, then remove the old one
    DELETE = "delete"  # hard or soft delete, per the platform
    ARCHIVE = "archive"  # JobMojito status=archived
    FORGET = "forget"  # the platform has no delete: stop tracking, object stays
    MOVE = "move"  # the address changed (rename); may carry in-place field updates
    ADOPT = "adopt"  # an uncertain create turned out to exist: record it, send nothing
    BLOCKED = "blocked"  # cannot be planned safely (e.g. undecidable create: import it)
    NOOP = "no-op"


REMOVALS = frozenset({Action.DELETE, Action.ARCHIVE, Action.FORGET})

SYMBOLS: dict[Action, str] = {
    Action.CREATE: "+",
    Action.UPDATE: "~",
    Action.REPLACE: "-/+",
    Action.DELETE: "-",
    Action.ARCHIVE: "-",
    Action.FORGET: "-",
    Action.MOVE: "→",
    Action.ADOPT: "<=",
    Action.BLOCKED: "!",
    Action.NOOP: " ",
}


@dataclass(frozen=True)
class FieldDiff:
    """One top-level body field that differs. `before` is None for a new object."""

    name: str
    before: Any
    after: Any
    forces_replacement: bool = False
    drift: bool = False  # the remote value changed outside interform


@dataclass(frozen=True)
class QuestionChange:
    """A question-level diff line: added, removed, moved (reordered), edited, unchanged."""

    kind: str  # "added" | "removed" | "moved" | "edited" | "unchanged"
    id: str | None
    before: str | None  # text before
    after: str | None  # text after
    before_index: int | None = None
    after_index: int | None = None
    # word-level diff of an edit: ("=", "words") kept, ("-", ...) removed, ("+", ...) added
    words: tuple[tuple[str, str], ...] = ()
    fields: tuple[FieldDiff, ...] = ()  # other per-question fields that changed
    moved: bool = False  # an edited question that also changed its place


@dataclass
class Change(Identified):
    identity: Identity  # the object changed (for a move: at its new address)
    action: Action
    reason: str = ""  # display-only: why this action
    fields: list[FieldDiff] = field(default_factory=list)
    questions: list[QuestionChange] = field(default_factory=list)
    questions_field: str | None = None  # the field `questions` details (KindSpec's)
    desired: DesiredResource | None = None
    prior: Entry | None = None  # the lockfile entry (for move: the entry at moved_from)
    moved_from: str | None = None
    depends_on: list[str] = field(default_factory=list)  # addresses applied first
    notes: list[str] = field(default_factory=list)
    import_command: str | None = None  # BLOCKED: what the user should run

    @property
    def lockfile_only(self) -> bool:
        """Nothing to send: an update, move or adopt whose body already matches (e.g. only
        `protect` changed, or a drifted value already equals the desired one)."""
        return self.action in (Action.UPDATE, Action.MOVE, Action.ADOPT) and not self.fields


@dataclass(frozen=True)
class Rename:
    """`new` (a definition address, defined in `source`) looks like `old` renamed: its
    objects would be removed and created again with the same content."""

    new: str
    old: str
    source: str

    @property
    def line(self) -> str:
        """The line that makes it a move."""
        return f"moved_from: {self.old}"


@dataclass
class Plan:
    changes: list[Change]  # deterministic order, no-ops excluded
    unchanged: int = 0
    lineage: str | None = None
    # digest of the lockfile the plan was made from (`lockfile_digest`); set only when
    # the plan is saved, as computing it costs a full dump of the lockfile
    lockfile_digest: str | None = None
    definition_digests: dict[str, str] = field(default_factory=dict)  # file -> sha256
    # address -> entry digest of every lockfile entry the plan touches; "" = no entry then
    entry_digests: dict[str, str] = field(default_factory=dict)
    refreshed: bool = False
    sandbox: bool = False
    warnings: list[str] = field(default_factory=list)
    interform_version: str = ""
    renames: list[Rename] = field(default_factory=list)  # likely renames without moved_from
    # address -> differences `ignore_changes` keeps out of the plan (changed or not)
    ignored: dict[str, list[FieldDiff]] = field(default_factory=dict)
    # why the plan may not be applied (safety rails, rejected requests), one line each;
    # a refused plan is still shown whole so that the review sees what was refused
    refused: list[str] = field(default_factory=list)

    def count(self, *actions: Action) -> int:
        return sum(1 for c in self.changes if c.action in actions)

    @property
    def has_changes(self) -> bool:
        return any(c.action is not Action.NOOP for c in self.changes)
