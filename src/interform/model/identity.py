"""Identity: which remote object something is about.

Desired resources (`providers.base.DesiredResource`), lockfile entries
(`lockfile.model.Entry`), plan changes (`plan.model.Change`) and objects found on a
platform (refresh, import) all name their object by the same six facts; this is the one
type that carries them, so none of them copies the facts from another field by field.

A lockfile entry keeps all but the address on disk (the lockfile keys entries by
address): `Entry.of(identity, ...)` records one, `entry.identity(address)` gives it back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from interform.model.address import Address, deposed_address, split_deposed


# slots, no validation: a big plan builds one per desired resource (tens of thousands)
@dataclass(frozen=True, slots=True)
class Identity:
    address: str  # where it is tracked; a replaced object awaiting removal: deposed form
    interview: str  # the definition (or `webhooks/<name>`) it belongs to
    target: str  # the target in interform.yaml
    provider: str  # the target's platform
    kind: str  # the kind of object on the platform: interview, agent, session, job, ...
    parent: str | None = None  # the definition resource owning it (sessions, parts)

    def __str__(self) -> str:
        return self.address

    @classmethod
    def at(cls, address: str, provider: str, kind: str) -> Identity:
        """The `kind` object at `address` (deposed or not): interview and target read from
        the address, and so is the parent of a session or part (its definition resource).
        Raises ValueError when `address` is not a resource address."""
        named = Address.parse(split_deposed(address)[0])
        parent = named.parent
        return cls(
            address, named.interview, named.target, provider, kind, str(parent) if parent else None
        )

    @classmethod
    def taken_from(cls, values: dict[str, Any]) -> Identity:
        """The identity held flat in JSON data (`as_data`), taken out of `values` (a
        missing parent is none), so that what is left are the holder's other fields."""
        pop = values.pop
        return cls(
            pop("address"),
            pop("interview"),
            pop("target"),
            pop("provider"),
            pop("kind"),
            pop("parent", None),
        )

    def as_data(self) -> dict[str, str | None]:
        """Its facts as flat JSON data, as saved plans and the render cache keep them."""
        return {
            "address": self.address,
            "interview": self.interview,
            "target": self.target,
            "provider": self.provider,
            "kind": self.kind,
            "parent": self.parent,
        }

    @property
    def live_address(self) -> str:
        """The address without its deposed suffix (the address itself when not deposed)."""
        return split_deposed(self.address)[0]

    @property
    def deposed_id(self) -> str | None:
        """The old remote id of a replaced object awaiting removal; None for any other."""
        return split_deposed(self.address)[1]

    def deposed(self, remote_id: str) -> Identity:
        """The same object once replaced, awaiting removal: `a@t` -> `a@t~<remote_id>`."""
        return replace(self, address=deposed_address(self.live_address, remote_id))


class Identified:
    """What names its object by an `identity` (a desired resource, a plan change, an
    object found on a platform): the identity's parts as read-only attributes."""

    __slots__ = ()
    identity: Identity

    @property
    def address(self) -> str:
        return self.identity.address

    @property
    def interview(self) -> str:
        return self.identity.interview

    @property
    def target(self) -> str:
        return self.identity.target

    @property
    def provider(self) -> str:
        return self.identity.provider

    @property
    def kind(self) -> str:
        return self.identity.kind

    @property
    def parent(self) -> str | None:
        """The address of the definition resource owning it (sessions, parts)."""
        return self.identity.parent
