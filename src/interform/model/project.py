"""The project file `interform.yaml`: targets (accounts), paths, safety rails, defaults.

`schemas/project.schema.json` is generated from these models.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from interform import platforms
from interform.model.address import DEFINITION_RE
from interform.model.webhooks import Webhook, WebhookName


def known_platform(value: Any) -> Any:
    """A platform name in the registry; anything else fails as a `Literal` of the names
    would (so the message lists them and suggests the closest)."""
    names = platforms.names()
    if value not in names:
        expected = " or ".join([", ".join(f"'{n}'" for n in names[:-1]), f"'{names[-1]}'"])
        raise PydanticCustomError(
            "literal_error", "Input should be {expected}", {"expected": expected}
        )
    return value


def _platform_enum(schema: dict[str, Any]) -> None:
    schema["enum"] = list(platforms.names())


# a platform's name, as `provider:` in interform.yaml and lockfile entries write it
Provider = Annotated[str, BeforeValidator(known_platform), Field(json_schema_extra=_platform_enum)]


def default_credential_env(provider: str) -> str:
    return platforms.get(provider).credential_env


def _credential_env_description(schema: dict[str, Any]) -> None:
    defaults = ", ".join(p.credential_env for p in platforms.registry().values())
    schema["description"] = (
        f"Name of the environment variable holding the credential (defaults: {defaults})."
    )


TargetName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
DefinitionAddress = Annotated[str, Field(pattern=DEFINITION_RE.pattern)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class RateLimit(_Strict):
    """Client-side request budget for one target (on top of what the platform enforces)."""

    per_minute: int | None = Field(None, ge=1)
    per_hour: int | None = Field(None, ge=1)


class Target(_Strict):
    """One account on one platform."""

    provider: Provider
    credential_env: str | None = Field(
        None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        json_schema_extra=_credential_env_description,
    )
    base_url: str | None = Field(
        None,
        pattern=r"^https?://",
        description="Override the API base URL (a proxy, sandbox or mock server).",
    )
    rate_limit: RateLimit | None = None
    concurrency: int | None = Field(
        None, ge=1, le=64, description="Most requests in flight at once for this target."
    )
    timeout: float = Field(
        30.0,
        gt=0,
        le=600,
        description=(
            "Most seconds one request may take, start to end: connecting, sending and "
            "reading the whole answer (a server that sends slowly is cut off at this)."
        ),
    )
    max_wait: float = Field(
        60.0,
        ge=0,
        le=86_400,
        description=(
            "Most seconds interform waits on behalf of one request: retry backoff, and any "
            "Retry-After or rate-limit reset the platform sends. A platform asking for a "
            "longer wait fails that call with a message saying until when."
        ),
    )
    max_response_bytes: int = Field(
        8 * 1024 * 1024,
        ge=1024,
        le=1024**3,
        description=(
            "Largest answer accepted from the platform, in bytes (after decompression); a "
            "larger one fails that call (a create it answers is then uncertain)."
        ),
    )

    company_id: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9._~-]{1,128}$",
        description=(
            "The company a partner key acts for, sent with every request (Instaview ATS "
            "keys must name it: `?companyId=`). Only platforms that scope keys this way."
        ),
    )
    webhooks: dict[WebhookName, Webhook] = Field(
        default_factory=dict,
        description=(
            "Webhooks managed on this account (micro1 and Instaview), by name: planned, "
            "applied and destroyed like interviews."
        ),
    )

    def credential_variable(self) -> str:
        return self.credential_env or default_credential_env(self.provider)


class Safety(_Strict):
    """A plan over any threshold fails unless --force (octoDNS-style)."""

    max_deletes: int | None = Field(None, ge=0, description="Most removals per apply.")
    max_deletes_percent: float | None = Field(
        None, ge=0, le=100, description="Most removals per apply, as % of managed objects."
    )
    max_replaces: int | None = Field(None, ge=0, description="Most replacements per apply.")
    max_replaces_percent: float | None = Field(None, ge=0, le=100)


class Project(_Strict):
    """interform.yaml."""

    project: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description=(
            "Stable project id written into ownership markers on remote objects, so a "
            "lost lockfile can be rebuilt with `interform refresh`."
        ),
    )
    required_version: str | None = Field(
        None,
        description=(
            "interform versions allowed to run this project, as in Terraform: "
            '"0.1.0" (exactly), ">= 0.1, < 0.2", "~> 0.1.0". Any other version refuses to '
            "run. CI installs the exact version pinned here."
        ),
    )
    targets: dict[TargetName, Target] = Field(default_factory=dict)
    lockfile: str = Field("interform.lock", description="Lockfile path, relative to this file.")
    interviews: str = Field("interviews", description="Definitions directory.")
    safety: Safety = Safety()
    defaults: dict[str, Any] = Field(
        default_factory=dict,
        description="Keys merged under every definition (e.g. language, jobmojito settings).",
    )
    moves: dict[DefinitionAddress, DefinitionAddress] = Field(
        default_factory=dict,
        description="Renamed definitions: old address -> new address (plans a move).",
    )
