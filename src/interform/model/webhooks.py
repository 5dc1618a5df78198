"""Webhooks declared in `interform.yaml`, per target: `targets.<name>.webhooks.<name>`.

A webhook is a remote object like an interview: planned, applied, imported, refreshed
and destroyed. Its address is `webhooks/<name>@<target>`; micro1 subscribes one event
per webhook, so there a webhook with several events is one object per event,
`webhooks/<name>/<event>@<target>`. The secret (Instaview only: sent as a custom header
the receiver checks) comes from an environment variable named here; its value never
reaches the lockfile, a plan, a log or an error (see `providers/webhooks.py`).
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field

PREFIX: Final = "webhooks"  # addresses of webhooks start with it
KIND: Final = "webhook"
DEFAULT_SECRET_HEADER: Final = "X-Webhook-Secret"

WebhookName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]


class Webhook(BaseModel):
    """One webhook subscription on the target's platform."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    url: str = Field(
        pattern=r"^https://",
        max_length=2048,
        description="The https:// endpoint the platform posts events to.",
    )
    events: list[str] = Field(
        min_length=1,
        description=(
            "Events to subscribe to, in the platform's spelling (micro1: "
            "interview_report.created, interview.completed, ...; Instaview: "
            "interview.completed, analysis.completed, ...). micro1 subscribes one event per "
            "webhook: each event becomes a micro1 webhook of its own."
        ),
    )
    description: str | None = Field(
        None, max_length=1000, description="What the webhook is for (shown on the platform)."
    )
    secret_env: str | None = Field(
        None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description=(
            "Instaview only: name of the environment variable holding a secret sent with "
            "every delivery in the header `secret_header`, so the receiver can check it. "
            "The value is never written anywhere; the lockfile keeps a salted, slow digest "
            "of it, so a changed secret is planned as an update."
        ),
    )
    secret_header: str = Field(
        DEFAULT_SECRET_HEADER,
        pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,255}$",
        description="Instaview only: the header that carries the secret.",
    )
    protect: bool = Field(
        False, description="Refuse to remove or replace it, even after it is no longer declared."
    )


def address_part(name: str, event: str | None = None) -> str:
    """The definition-like part of a webhook's address: `webhooks/<name>[/<event>]`."""
    return f"{PREFIX}/{name}/{event}" if event else f"{PREFIX}/{name}"


def webhook_name(interview: str) -> str | None:
    """The webhook name in an address's first part, None when it names no webhook."""
    parts = interview.split("/")
    return parts[1] if len(parts) in (2, 3) and parts[0] == PREFIX else None
