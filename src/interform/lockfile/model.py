"""The lockfile format: the only map from YAML addresses to remote objects.

Deterministic JSON (sorted keys, two-space indent, trailing newline), committed to git.
Nothing in it changes unless an entry changes (no write counter, no tool version), so two
branches that changed different entries merge without a conflict, even with git's own
text merge; `interform lockfile merge` merges the rest (see `lockfile/merge.py`).
`schemas/lockfile.schema.json` is generated from these models. It never holds a
secret: credentials and secrets platforms return (JobMojito `embed_signing_key`) are
kept out by the adapters (`Applied.secrets`) and stripped from `request`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from interform.model.identity import Identity
from interform.model.project import Provider
from interform.model.remote_id import RemoteId

# 4: entries may carry `rendered` (an older interform would refuse the unknown field, so it
#    is told the format is newer instead)
# 3: no `serial` or `interform_version` (they changed on every write: every merge of two
#    branches that both wrote the lockfile conflicted on them)
# 2: entries keyed by address (1 kept them in a list with an `address` field)
FORMAT_VERSION = 4


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Pending(_Model):
    """An operation whose outcome is not known yet (timeout, crash mid-request)."""

    op: Literal["create", "update", "remove"] = Field(description="The operation attempted.")
    started_at: str = Field(description="ISO 8601 UTC time the request was about to be sent.")
    marker: str | None = Field(None, description="Ownership marker sent with a create.")
    digest: str | None = Field(None, description="Digest of the request body sent.")
    request: dict[str, Any] | None = Field(
        None, description="The body sent (secrets removed), used to recognise it by read-back."
    )
    parent_remote_id: RemoteId | None = Field(None, description="Parent id sent with the create.")
    detail: str | None = Field(None, description="What is known, e.g. the error seen.")


class Entry(_Model):
    """One remote object interform created or adopted."""

    interview: str = Field(description="Definition address, e.g. engineering/backend-senior.")
    target: str = Field(description="Target name in interform.yaml.")
    provider: Provider = Field(description="Platform of the target.")
    kind: str = Field(description="Kind of object on the platform: interview, agent, ...")
    remote_id: RemoteId | None = Field(
        None,
        description="Platform id; null while a create is pending, or once `interform "
        "refresh` found the object gone from its platform (the next apply creates it).",
    )
    parent: str | None = Field(None, description="Address of the owning definition resource.")
    parent_remote_id: RemoteId | None = Field(
        None, description="Remote id of the parent the object was created under."
    )
    urls: dict[str, str] = Field(
        default_factory=dict, description="Links users need: invite_url, link, embed_id..."
    )
    digest: str | None = Field(None, description="sha256 of the request last applied.")
    request: dict[str, Any] | None = Field(
        None, description="The request last applied, secrets removed."
    )
    marker: str | None = Field(None, description="Ownership marker stored remotely.")
    source: str | None = Field(None, description="Definition file at the last apply.")
    rendered: str | None = Field(
        None,
        description="Seal binding what `request` was rendered from at the last apply (the "
        "definition file, its address and targets, the defaults, interform's rendering code) "
        "to this entry: while both are unchanged, a plan takes `request` as the definition's "
        "rendering instead of rendering it again. Absent when the object's request depends "
        "on more than its definition.",
    )
    created_at: str | None = Field(None, description="ISO 8601 UTC time of the create.")
    updated_at: str | None = Field(None, description="ISO 8601 UTC time of the last change.")
    protect: bool = Field(
        False, description="Refuse to remove or replace it, even after its YAML is deleted."
    )
    removal: str | None = Field(
        None,
        pattern=r"^(delete|soft-delete|archive|forget)$",
        description="Removal mode chosen by the definition (overrides the platform's).",
    )
    private: dict[str, Any] = Field(
        default_factory=dict, description="Provider-private data (e.g. question ids)."
    )
    drifted: list[str] = Field(
        default_factory=list,
        description="Fields `interform refresh` found changed outside interform (`request` "
        "then holds the values read back); the next apply puts the definition's back.",
    )
    pending: list[Pending] = Field(default_factory=list)

    @classmethod
    def of(cls, identity: Identity, **details: Any) -> Entry:
        """The entry of the object `identity` names (its address is the entry's key, not
        a field); `details` are the other fields."""
        return cls(
            interview=identity.interview,
            target=identity.target,
            provider=identity.provider,
            kind=identity.kind,
            parent=identity.parent,
            **details,
        )

    def identity(self, address: str) -> Identity:
        """What the entry kept at `address` (its key in the lockfile) is about."""
        return Identity(address, self.interview, self.target, self.provider, self.kind, self.parent)

    @property
    def gone(self) -> bool:
        """Found gone from its platform by refresh (no id, and no create pending)."""
        return self.remote_id is None and not any(p.op == "create" for p in self.pending)


class Lockfile(_Model):
    version: int = Field(FORMAT_VERSION, description="Lockfile format version.")
    lineage: str = Field(description="UUID fixed when the lockfile was created.")
    entries: dict[str, Entry] = Field(
        default_factory=dict, description="Remote objects keyed by address."
    )
