"""What every platform adapter declares and does.

The planner decides actions from the declarations alone (`KindSpec`): which fields a
platform updates in place, which force a replacement, how removal works, what can be read
back and where an ownership marker lives. Rendering a definition into the platform's
request body is pure (`Provider.render`) so that `plan` needs no network. Only the
instance methods talk HTTP, and only through `interform.providers.http.HttpSession`.

This module must stay cheap to import: no httpx at import time.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from interform.digest import body_digest
from interform.model.address import resource_address
from interform.model.identity import Identified, Identity
from interform.model.remote_id import remote_id_problem
from interform.providers.errors import ProviderError, ServerError

if TYPE_CHECKING:
    import httpx

    from interform.lockfile.model import Entry
    from interform.model.definition import Definition
    from interform.model.project import Target
    from interform.providers.http import HttpSession, ParsedError

YamlPath = tuple[str | int, ...]


class Policy(str, Enum):
    """What a change to one body field means on the platform."""

    UPDATE = "update"  # the platform updates it in place
    REPLACE = "replace"  # the platform cannot change it: new object, then remove the old
    IGNORE = "ignore"  # not compared (e.g. write-only values the platform never returns)


class Removal(str, Enum):
    """The gentlest way the platform removes an object."""

    DELETE = "delete"  # hard delete
    SOFT_DELETE = "soft-delete"  # kept remotely, marked deleted (JobMojito status=deleted)
    ARCHIVE = "archive"  # kept remotely, archived (JobMojito status=archived)
    FORGET = "forget"  # no delete exists: the remote object stays, interform stops tracking


@dataclass(frozen=True)
class KindSpec:
    """Capabilities of one kind of remote object on one platform."""

    kind: str  # "interview", "agent", "study", "session"
    label: str  # human name: "micro1 interview", "Instaview session"
    session: bool  # a per-candidate/participant object under a definition
    updatable: bool  # False: every change forces a replacement
    removal: Removal
    readable: bool  # state can be read back by id (drift, convergence check)
    discoverable: bool  # objects can be listed/searched (uncertain-create recovery, refresh)
    marker: str | None  # where the ownership marker lives ("code", "metadata"), None: none
    fields: Mapping[str, Policy] = field(default_factory=dict)
    default_policy: Policy = Policy.UPDATE
    # question-level diffs: the body field holding the ordered question list, the item key
    # holding a stable id (None: match on text), the item key holding the text (None: the
    # items are plain strings)
    questions_field: str | None = None
    question_id_key: str | None = None
    question_text_key: str | None = None
    # fields updated in place that the platform documents no way to clear (no null, no
    # empty value): a definition that stops setting one forces a replacement
    uncleared: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()  # shown in docs' capability tables
    # where its links come from when the platform gives the object none of its own
    links: str = ""

    def policy(self, name: str) -> Policy:
        if not self.updatable:
            return Policy.REPLACE
        return self.fields.get(name, self.default_policy)


@dataclass(frozen=True)
class DesiredResource(Identified):
    """One remote object the definitions ask for, rendered into the platform's terms.

    `body` is the platform's create-request body minus what interform injects at apply
    time (ownership marker, parent id); it is what the lockfile records as `request` and
    what `digest` covers. `origins` maps body JSON pointers (longest prefix wins) to the
    YAML path that produced them, so a body problem can be reported at its YAML line.
    `identity` names the object (address, interview, target, provider, kind, parent).
    """

    identity: Identity
    body: Mapping[str, Any]
    source: str  # definition file, relative to the project root
    parent_remote_id: str | None = None  # fixed parent id not managed by interform
    protect: bool = False
    moved_from: str | None = None  # previous resource address
    removal: Removal | None = None  # overrides KindSpec.removal (JobMojito "archived")
    origins: Mapping[str, YamlPath] = field(default_factory=dict)
    notes: Sequence[str] = ()  # display-only remarks for the plan
    # note -> the body field it is about: the plan repeats it only when that field
    # changes. A note not listed is about the object as a whole (settings that are not
    # sent, minutes a session uses), said when the object is created or replaced
    note_fields: Mapping[str, str] = field(default_factory=dict)
    # body JSON pointers the definition's `ignore_changes` covers: sent on create, never
    # updated, differences listed as ignored ("" is the whole body)
    ignore: tuple[str, ...] = ()
    # secret name -> file the apply writes it to (0600) when the platform returns it
    sinks: Mapping[str, str] = field(default_factory=dict)
    digest: str = ""
    # render-time facts the provider's own checks need but the body does not carry (an
    # Instaview session's agent focus); never sent, not part of the digest
    context: Mapping[str, Any] = field(default_factory=dict)
    # body field -> address of another managed object whose remote id goes there (an
    # Instaview session's jobId and candidateId): filled in by `with_refs` when planned
    # and again when applied, so the recorded request holds the ids the object was made with
    refs: Mapping[str, str] = field(default_factory=dict)
    # "<token> <digest>": the rendering this resource came from (`interform.render_memo`)
    # and the digest its body had then; the lockfile seals the entry with it so a later
    # plan can skip rendering an unchanged definition. A copy with another body (refs
    # filled in, ignored values, an interrupted create's request) no longer matches its
    # digest, so it is never sealed as that rendering. Never sent, not in the digest
    rendered_from: str = ""

    def __post_init__(self) -> None:
        if not self.digest:
            object.__setattr__(self, "digest", body_digest(self.body))

    def origin(self, pointer: str) -> YamlPath:
        """YAML path for a body pointer such as `/custom_question_list/3/time`."""
        best: YamlPath = ()
        best_len = -1
        for prefix, path in self.origins.items():
            if (pointer == prefix or pointer.startswith(prefix + "/")) and len(prefix) > best_len:
                best, best_len = path, len(prefix)
        return best


# what the render cache keeps of a resource besides its identity: all but its origins
_WIRED = tuple(f.name for f in fields(DesiredResource) if f.name not in ("identity", "origins"))


def desired_from_data(
    data: Mapping[str, Any], origins: Mapping[str, tuple[str | int, ...]] | None = None
) -> DesiredResource:
    """The resource `desired_to_wire` (or `plain`) made `data` of; `origins`, when given,
    replaces `data`'s."""
    values = dict(data)
    values["identity"] = Identity.taken_from(values)
    if origins is None:
        origins = {k: tuple(v) for k, v in data.get("origins", {}).items()}
    values["origins"] = origins
    values["notes"] = tuple(data.get("notes", ()))
    values["ignore"] = tuple(data.get("ignore", ()))
    if data.get("removal"):
        values["removal"] = Removal(data["removal"])
    return DesiredResource(**values)


def desired_to_wire(res: DesiredResource) -> dict[str, Any]:
    """JSON data of a resource without its origins (what the render cache keeps), its
    identity flat among the other fields."""
    wire: dict[str, Any] = res.identity.as_data()
    wire.update((name, getattr(res, name)) for name in _WIRED)
    wire["notes"] = list(res.notes)
    wire["note_fields"] = dict(res.note_fields)
    wire["ignore"] = list(res.ignore)
    wire["removal"] = res.removal.value if res.removal is not None else None
    return wire


# a referenced object's id, in a planned body, while that object is still to be made
KNOWN_AFTER_APPLY = "(known after apply)"


def with_refs(res: DesiredResource, id_of: Callable[[str], str | None]) -> DesiredResource:
    """`res` with the remote id of each object it references (`refs`) in its body;
    `KNOWN_AFTER_APPLY` where `id_of` does not know it yet."""
    if not res.refs:
        return res
    body = {**res.body, **{key: id_of(a) or KNOWN_AFTER_APPLY for key, a in res.refs.items()}}
    return replace(res, body=body, digest=body_digest(body))


_V = TypeVar("_V")


class LazyMapping(Mapping[str, _V]):
    """A mapping built on first read. A resource's origins (body pointer -> YAML path) are
    one: a plan reads them only to position a rejected request body (or, while rendering,
    for `ignore_changes` and a language note), and 10,000 origin maps held to the end of a
    plan weigh more than the bodies. A render passes one where its origins are a function
    of the definition alone; the render cache's resources carry one too, and a resource
    recalled from the lockfile (`interform.render_memo`) its note fields as well."""

    __slots__ = ("_load", "_loaded")

    def __init__(self, load: Callable[[], Mapping[str, _V]]) -> None:
        self._load = load
        self._loaded: Mapping[str, _V] | None = None

    def _data(self) -> Mapping[str, _V]:
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded

    def __getitem__(self, key: str) -> _V:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


LazyOrigins = LazyMapping


class LazyNotes(Sequence[str]):
    """A resource's notes, made on first read (a recalled resource's, whose plan shows
    them only if it changes: `interform.render_memo`)."""

    __slots__ = ("_load", "_loaded")

    def __init__(self, load: Callable[[], Sequence[str]]) -> None:
        self._load = load
        self._loaded: tuple[str, ...] | None = None

    def _data(self) -> tuple[str, ...]:
        if self._loaded is None:
            self._loaded = tuple(self._load())
        return self._loaded

    def __getitem__(self, index: Any) -> Any:
        return self._data()[index]

    def __len__(self) -> int:
        return len(self._data())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and self._data() == tuple(other)

    def __hash__(self) -> int:
        return hash(self._data())


@dataclass(frozen=True)
class Placement:
    """What `Provider.render` was asked for: one definition on one target. Every resource
    it renders shares these, so their address, protection and move are built one way."""

    defn: Definition
    interview: str
    target: str
    source: str
    provider: str

    def resource(
        self, kind: str, body: Mapping[str, Any], session: str | None = None, **details: Any
    ) -> DesiredResource:
        """The resource of `kind` (a session's carries its name); `details` are its parent
        and the other `DesiredResource` fields (origins, notes, ...)."""
        moved_from = self.defn.moved_from
        if self.defn.ignore_changes and "origins" in details:
            details["ignore"] = ignored_pointers(self.defn.ignore_changes, details["origins"])
        self._language_note(details)
        address = resource_address(self.interview, self.target, session)
        parent = details.pop("parent", None)
        return DesiredResource(
            identity=Identity(address, self.interview, self.target, self.provider, kind, parent),
            body=body,
            source=self.source,
            protect=self.defn.protect,
            moved_from=resource_address(moved_from, self.target, session) if moved_from else None,
            **details,
        )

    def _language_note(self, details: dict[str, Any]) -> None:
        """A platform without the language variant written runs the base language: the
        note says so about the body field the definition's `language` went to (its
        origin), so the plan repeats it only when that field changes."""
        from interform.model import languages

        note = languages.fallback_note(self.defn.language, self.provider)
        if note is None:  # the usual case: no origin to look through
            return
        origins: Mapping[str, YamlPath] = details.get("origins") or {}
        fields = [
            p[1:] for p, path in origins.items() if path == ("language",) and p.count("/") == 1
        ]
        if not fields:
            return
        details["notes"] = (*details.get("notes", ()), note)
        details["note_fields"] = {**details.get("note_fields", {}), note: fields[0]}


def ignored_pointers(paths: Sequence[str], origins: Mapping[str, YamlPath]) -> tuple[str, ...]:
    """The body pointers made from the YAML under any of `paths` (`ignore_changes`), the
    outermost only: ignoring `/job` covers `/job/description`."""
    from interform.model.definition import parse_path

    prefixes = [parse_path(p) for p in paths]
    hits = sorted(
        pointer
        for pointer, yaml_path in origins.items()
        if any(yaml_path[: len(prefix)] == prefix for prefix in prefixes)
    )
    outermost: list[str] = []
    for pointer in hits:  # sorted: a pointer comes before those under it
        if not any(pointer == o or pointer.startswith(o + "/") for o in outermost):
            outermost.append(pointer)
    return ("",) if "" in outermost else tuple(outermost)


@dataclass(frozen=True)
class BodyProblem:
    """A rendered request body that the platform's request schema rejects."""

    pointer: str  # JSON pointer into the wire body
    message: str


# a link or label a platform returns is printed and recorded: one printable token of
# reasonable length, or nothing (a terminal escape in an "invite link" is not a link)
_LINK = re.compile(r"^[^\x00-\x20\x7f-\x9f\u2028\u2029]{1,2048}$")


def links(answer: Any, **keys: str) -> dict[str, str]:
    """`{name: answer[key]}` for each `name=key` whose value is a usable link or label."""
    if not isinstance(answer, Mapping):
        return {}
    found = {name: answer.get(key) for name, key in keys.items()}
    return {
        name: value
        for name, value in found.items()
        if isinstance(value, str) and _LINK.match(value)
    }


@dataclass
class Applied:
    """What a create or update produced. `secrets` never reach the lockfile or output."""

    remote_id: str
    urls: dict[str, str] = field(default_factory=dict)
    private: dict[str, Any] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)


@dataclass
class RemoteState:
    """An object as read back, normalised into the shape of `DesiredResource.body`."""

    remote_id: str
    body: dict[str, Any]
    urls: dict[str, str] = field(default_factory=dict)
    marker: str | None = None
    parent_remote_id: str | None = None
    private: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Found:
    """Outcome of looking for an object whose create may or may not have happened."""

    status: Literal["found", "absent", "undecidable"]
    remote_id: str | None = None
    state: RemoteState | None = None
    detail: str = ""
    # undecidable only for now: the platform may still be making the object (the create
    # was attempted too recently); looking again after this Unix time can prove it absent
    retry_at: float | None = None


@dataclass(frozen=True)
class Match:
    """An untracked object that could be the one an uncertain create made."""

    state: RemoteState
    created_at: str | None = None  # the platform's creation time, as it returned it


@dataclass(frozen=True)
class Lookup:
    """What a platform holds that could be the object of an uncertain create: the raw
    material `plan.matching` decides from (`Provider.lookup`)."""

    matches: tuple[Match, ...] = ()  # untracked objects matching the request sent
    # untracked objects that might be it although they differ (same name, other content:
    # the platform may have stored the request differently); they stop a proof of absence
    near: tuple[Match, ...] = ()
    complete: bool = True  # everything that could match was listed to the end
    by_marker: bool = False  # matched on the create's own ownership marker
    detail: str = ""  # when not complete: why, and what a person can do


class Provider(ABC):
    """One platform. Class attributes and classmethods are pure; instances talk HTTP."""

    name: ClassVar[str]
    display_name: ClassVar[str]
    default_base_url: ClassVar[str]
    kinds: ClassVar[Mapping[str, KindSpec]]
    # platform-documented request budget (Instaview: 60/min, 2,000/h), None: not documented
    default_rate_limit: ClassVar[tuple[int | None, int | None]] = (None, None)

    def __init__(self, target_name: str, target: Target, http: HttpSession) -> None:
        self.target_name = target_name
        self.target = target
        self.http = http

    def remote_id(self, prior: Entry) -> str:
        """The tracked object's id; an entry without one is a create still pending."""
        if not prior.remote_id:
            raise ProviderError(
                self.name,
                f"{resource_address(prior.interview, prior.target)}: the lockfile entry has no "
                "remote id (pending create)",
            )
        problem = remote_id_problem(prior.remote_id)
        if problem is not None:  # the lockfile model checks it; an entry built in code may not
            raise ProviderError(
                self.name, f"{resource_address(prior.interview, prior.target)}: {problem}"
            )
        return prior.remote_id

    def response_id(self, payload: Any, what: str, key: str = "id") -> str:
        """The id (`key`) of an object the platform returned, checked before it can reach
        a URL or the lockfile. After a create, a missing or malformed id means the object
        may exist without us knowing it: uncertain."""
        value = payload.get(key) if isinstance(payload, Mapping) else None
        if value is None or value == "":
            raise ServerError(self.name, f"{what}: response has no {key}", uncertain=True)
        problem = remote_id_problem(value)
        if problem is not None:
            raise ServerError(
                self.name, f"{what}: unusable id in the answer: {problem}", uncertain=True
            )
        return str(value)

    # ------------------------------------------------------------------ wiring

    @classmethod
    def auth_headers(cls, credential: str) -> dict[str, str]:
        """Headers that authenticate every request; most platforms take a bearer token."""
        return {"Authorization": f"Bearer {credential}"}

    @classmethod
    def parse_error(cls, response: httpx.Response) -> ParsedError:
        """(message, platform error code, error class overriding the status mapping) from
        an error response, so errors carry the platform's own words."""
        from interform.providers.http import default_error_parser

        return default_error_parser(response)

    # ------------------------------------------------------------------ pure

    @classmethod
    @abstractmethod
    def render(
        cls, defn: Definition, interview: str, target: str, source: str
    ) -> list[DesiredResource]:
        """The definition resource for this target and its sessions, parents first."""

    @classmethod
    @abstractmethod
    def request_problems(
        cls, res: DesiredResource, operation: Literal["create", "update"]
    ) -> list[BodyProblem]:
        """Validate the body that `operation` would send against the request schema."""

    # ------------------------------------------------------------------ HTTP

    @abstractmethod
    def create(self, res: DesiredResource, marker: str, parent_id: str | None) -> Applied:
        """Create the object. Never retried blindly: may raise an uncertain ProviderError."""

    @abstractmethod
    def update(self, res: DesiredResource, prior: Entry, changed: Sequence[str]) -> Applied:
        """Update in place; `changed` lists the body fields that differ from `prior`."""

    @abstractmethod
    def remove(self, prior: Entry) -> None:
        """Remove by the entry's removal mode; a platform that cannot delete does nothing."""

    @abstractmethod
    def read(self, prior: Entry) -> RemoteState | None:
        """Current remote state, or None when the object is gone. Raises
        ProviderError(unsupported) when the kind is not readable."""

    def read_many(self, entries: Mapping[str, Entry]) -> dict[str, RemoteState | None]:
        """`read` of several objects, by address. Adapters whose only read is a listing
        override it to read each page once instead of once per object."""
        return {address: self.read(entry) for address, entry in entries.items()}

    @abstractmethod
    def lookup(
        self,
        res: DesiredResource,
        marker: str,
        parent_id: str | None,
        exclude: Collection[str] = frozenset(),
    ) -> Lookup:
        """The untracked objects an uncertain create of `res` may have made: by its
        ownership marker where the platform keeps one, else by content. `exclude` holds
        the remote ids the lockfile tracks, which can never be the object looked for."""

    @abstractmethod
    def discover(self, kind: str) -> Iterable[RemoteState]:
        """Objects of `kind` carrying an interform ownership marker (for `refresh`)."""

    @abstractmethod
    def fetch(
        self, kind: str, remote_id: str, like: Mapping[str, Any] | None = None
    ) -> RemoteState:
        """Read one object by id for `interform import` (raises NotFound). `like` is the
        body its definition renders, if there is one: what the platform never returns
        (write-only values) is taken from it where what can be read matches it, so an
        object that matches its definition plans no change."""


MARKER_PREFIX = "interform:"


def make_marker(project_id: str, address: str) -> str:
    """Ownership marker stored in a caller-controlled field of each remote object."""
    return f"{MARKER_PREFIX}{project_id}:{address}"


def parse_marker(text: object) -> tuple[str, str] | None:
    """(project id, address) from a marker, or None when it is not one of ours."""
    if not isinstance(text, str) or not text.startswith(MARKER_PREFIX):
        return None
    project, sep, address = text[len(MARKER_PREFIX) :].partition(":")
    return (project, address) if sep and project and address else None


# Instaview sessions and Versive studies and sessions keep the marker in their metadata
METADATA_MARKER_KEY = "interform"


def metadata_with_marker(metadata: Mapping[str, Any] | None, marker: str) -> dict[str, Any]:
    """The user's metadata plus the ownership marker, as sent on create."""
    return {**(metadata or {}), METADATA_MARKER_KEY: marker}


def split_metadata_marker(metadata: object) -> tuple[dict[str, Any] | None, str | None]:
    """(metadata without the marker, None when nothing else is left; the marker) from
    metadata as read back, so read-back compares equal to the body that was rendered."""
    if not isinstance(metadata, Mapping):
        return None, None
    rest = {k: v for k, v in metadata.items() if k != METADATA_MARKER_KEY}
    marker = metadata.get(METADATA_MARKER_KEY)
    return (rest or None), (marker if isinstance(marker, str) else None)
