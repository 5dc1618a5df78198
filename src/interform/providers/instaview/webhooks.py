"""Instaview webhooks: `POST /webhooks`, `GET /webhooks/{id}`, `GET /webhooks`,
`PATCH /webhooks/{id}` (partial: only the fields that changed), `DELETE /webhooks/{id}`.

The secret goes in a custom header (`secret_header`, default X-Webhook-Secret) that the
receiver checks; Instaview masks header values when they are read back, so a secret
changed outside interform cannot be seen (one changed in the environment can: the body
holds a digest of it). Clearing: the description is sent as "", the header list as []
("replaces all existing headers", the update page says). Instaview's own HMAC
`signingSecret`, returned once at creation, is masked in all output and not kept. No
field can hold an ownership marker: an interrupted create is found again by URL and
events among untracked webhooks created after it was attempted (`plan.matching`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Final

from interform import secrets
from interform.model.remote_id import path_segment
from interform.model.webhooks import Webhook
from interform.providers import schemas
from interform.providers import webhooks as shared
from interform.providers.base import (
    BodyProblem,
    DesiredResource,
    Lookup,
    Match,
    RemoteState,
)
from interform.providers.errors import NotFound, ServerError

if TYPE_CHECKING:
    from interform.lockfile.model import Entry
    from interform.providers.base import Provider

EVENTS: Final = (
    "analysis.completed",
    "analysis.failed",
    "ping",
    "interview.completed",
    "interview.failed",
    "interview.started",
)
SECRETS: Final = True
MASKED: Final = "(masked by Instaview)"

WEBHOOK: Final = shared.kind_spec(
    "Instaview webhook",
    (
        "declared in interform.yaml under the target's webhooks",
        "every field updates in place: PATCH /webhooks/{id} with the changed fields; an "
        'emptied description is sent as "", a removed secret as an empty header list',
        "the secret (secret_env) is sent in a custom header; the lockfile keeps a salted "
        "digest of it, never the value; Instaview masks header values on read, so a secret "
        "changed outside interform is not seen",
        "no field for an ownership marker: an interrupted create is found again by URL and "
        "events among untracked webhooks created after it was attempted",
    ),
)


def render(name: str, hook: Webhook, target: str) -> list[DesiredResource]:
    headers = []
    if hook.secret_env:
        token = shared.secret_token(target, name, hook.secret_env)
        headers.append({"name": hook.secret_header, "value": token})
    body = {
        "url": hook.url,
        "events": sorted(hook.events),  # a set on the platform: its order means nothing
        "name": name,
        "description": hook.description or "",
        "headers": headers,
    }
    origins = {
        "/url": shared.yaml_path(target, name, "url"),
        "/events": shared.yaml_path(target, name, "events"),
        "/name": shared.yaml_path(target, name),
        "/description": shared.yaml_path(target, name, "description"),
        "/headers": shared.yaml_path(target, name, "secret_env"),
    }
    return [shared.resource(target, "instaview", name, hook, body, origins)]


def request_problems(res: DesiredResource, operation: str) -> list[BodyProblem]:
    return schemas.problems(f"instaview.webhook.{operation}.request", res.body)


# ---------------------------------------------------------------------- HTTP


def create(provider: Provider, res: DesiredResource) -> str:
    wire = _wire(provider, res, list(res.body))
    answer = _unwrapped(provider.http.json("POST", "/webhooks", json=wire, create=True))
    if isinstance(answer, Mapping) and isinstance(answer.get("signingSecret"), str):
        secrets.register(answer["signingSecret"])  # returned once; never printed or kept
    return provider.response_id(answer, "POST /webhooks")


def update(provider: Provider, res: DesiredResource, prior: Entry, changed: Sequence[str]) -> None:
    patch = _wire(provider, res, [name for name in changed if name in res.body])
    if patch:
        provider.http.json("PATCH", _path(provider.remote_id(prior)), json=patch)


def remove(provider: Provider, prior: Entry) -> None:
    with suppress(NotFound):  # already gone is what a removal wants
        provider.http.request("DELETE", _path(provider.remote_id(prior)))


def read(provider: Provider, prior: Entry) -> RemoteState | None:
    try:
        item = _unwrapped(provider.http.json("GET", _path(provider.remote_id(prior))))
    except NotFound:
        return None
    return state(provider, item, prior.request)


def fetch(provider: Provider, remote_id: str, like: Mapping[str, Any] | None) -> RemoteState:
    return state(provider, _unwrapped(provider.http.json("GET", _path(remote_id))), like)


def lookup(provider: Provider, res: DesiredResource, exclude: Collection[str]) -> Lookup:
    """Untracked webhooks with the URL and events sent: with the name and description
    sent too they are matches; otherwise they may be it stored differently (they stop a
    proof of absence)."""
    listing = _unwrapped(provider.http.json("GET", "/webhooks"))
    items = listing.get("data") if isinstance(listing, Mapping) else None
    if not isinstance(items, list):
        raise ServerError(provider.name, "GET /webhooks answered without a data list")
    total = listing.get("total")
    complete = not isinstance(total, int) or total <= len(items)
    same: list[Match] = []
    near: list[Match] = []
    for item in (i for i in items if isinstance(i, Mapping)):
        found = state(provider, item, res.body)
        key = (found.body["url"], found.body["events"])
        if found.remote_id in exclude or key != (res.body["url"], res.body["events"]):
            continue
        created = item.get("createdAt")
        match = Match(found, created if isinstance(created, str) else None)
        (same if found.body == dict(res.body) else near).append(match)
    detail = "" if complete else f"GET /webhooks listed fewer webhooks than its total {total}"
    return Lookup(tuple(same), tuple(near), complete=complete, detail=detail)


def state(provider: Provider, item: Any, sent: Mapping[str, Any] | None) -> RemoteState:
    """A webhook in the shape of its body. Header values come back masked: a header the
    request sent under the same name counts as sent."""
    remote_id = provider.response_id(item, "GET /webhooks")
    recorded = {
        h.get("name"): h.get("value")
        for h in (sent or {}).get("headers") or []
        if isinstance(h, Mapping)
    }
    headers = [
        {"name": h.get("name"), "value": _header_value(h, recorded)}
        for h in item.get("headers") or []
        if isinstance(h, Mapping)
    ]
    events = item.get("events") if isinstance(item.get("events"), list) else []
    body = {
        "url": item.get("url"),
        "events": sorted(e for e in events if isinstance(e, str)),
        "name": item.get("name") or "",
        "description": item.get("description") or "",
        "headers": headers,
    }
    return RemoteState(remote_id, body)


def _header_value(header: Mapping[str, Any], recorded: Mapping[Any, Any]) -> Any:
    value = header.get("value")
    if isinstance(value, str) and not header.get("isMasked"):
        return value
    return recorded.get(header.get("name"), MASKED)


def _wire(provider: Provider, res: DesiredResource, fields: Sequence[str]) -> dict[str, Any]:
    """The body's `fields` as sent: the secret's digest replaced by the secret."""
    wire = {name: res.body[name] for name in fields}
    if "headers" in wire:
        secret = lambda: shared.secret_value(provider.target, res.interview)  # noqa: E731
        wire["headers"] = shared.real_headers(wire["headers"], secret)
    return wire


def _unwrapped(answer: Any) -> Any:
    """The guide's `{success, data}` envelope or the bare object the create page shows."""
    if isinstance(answer, Mapping) and "success" in answer and "data" in answer:
        return answer["data"]
    return answer


def _path(remote_id: str) -> str:
    return f"/webhooks/{path_segment(remote_id)}"
