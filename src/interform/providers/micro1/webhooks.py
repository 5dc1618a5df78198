"""micro1 webhooks: `POST /webhook`, `GET /webhooks`, `PUT /webhook/{id}` (the complete
body), `DELETE /webhook/{id}`.

micro1 subscribes one event per webhook, so a declared webhook with N events is N micro1
webhooks, `webhooks/<name>/<event>@<target>`; adding an event creates one, removing one
deletes it. micro1 documents no signing secret and no custom header: a secret cannot be
sent (validation refuses `secret_env` here). Nothing on a webhook can hold an ownership
marker: an interrupted create is found again by URL and event among untracked webhooks
created after it was attempted (`plan.matching`). `GET /webhooks` takes no paging
parameters and returns every webhook.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Final

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
from interform.providers.micro1.listing import envelope_data

if TYPE_CHECKING:
    from interform.lockfile.model import Entry
    from interform.providers.base import Provider

EVENTS: Final = (
    "interview_report.created",
    "interview_recording.completed",
    "interview_webcam_recording.completed",
    "proctoring_score.completed",
    "applicant.completed",
    "applicant.created",
    "applicant.updated",
    "applicant.invited",
    "interview.started",
    "interview.completed",
)
SECRETS: Final = False

WEBHOOK: Final = shared.kind_spec(
    "micro1 webhook",
    (
        "declared in interform.yaml under the target's webhooks; one micro1 webhook per "
        "event (micro1 subscribes one event each)",
        "URL and description update in place: PUT /webhook/{id} with the complete body; an "
        "emptied description is sent as an empty string",
        "no secret: micro1 documents no signing secret or custom header",
        "no field for an ownership marker: an interrupted create is found again by URL and "
        "event among untracked webhooks created after it was attempted",
    ),
)


def render(name: str, hook: Webhook, target: str) -> list[DesiredResource]:
    """One resource per event; the description is always sent ("" clears it)."""
    resources = []
    for i, event in enumerate(hook.events):
        body = {"url": hook.url, "event": event, "description": hook.description or ""}
        origins = {
            "/url": shared.yaml_path(target, name, "url"),
            "/event": shared.yaml_path(target, name, "events", i),
            "/description": shared.yaml_path(target, name, "description"),
        }
        resources.append(shared.resource(target, "micro1", name, hook, body, origins, event))
    return resources


def request_problems(res: DesiredResource, operation: str) -> list[BodyProblem]:
    return schemas.problems(f"micro1.webhook.{operation}.request", res.body)


# ---------------------------------------------------------------------- HTTP


def create(provider: Provider, res: DesiredResource) -> str:
    answer = provider.http.json("POST", "/webhook", json=dict(res.body), create=True)
    if isinstance(answer, Mapping) and answer.get("status") is False:
        envelope_data(provider.name, answer, create=True)  # raises, uncertain
    # the spec answers `{id}`; an enveloped answer (`data.id`) is accepted too
    data = answer.get("data") if isinstance(answer, Mapping) and "id" not in answer else answer
    return provider.response_id(data, "POST /webhook")


def update(provider: Provider, res: DesiredResource, prior: Entry) -> None:
    path = f"/webhook/{path_segment(provider.remote_id(prior))}"
    envelope_data(provider.name, provider.http.json("PUT", path, json=dict(res.body)))


def remove(provider: Provider, prior: Entry) -> None:
    path = f"/webhook/{path_segment(provider.remote_id(prior))}"
    with suppress(NotFound):  # already gone is what a removal wants
        envelope_data(provider.name, provider.http.json("DELETE", path))


def listed(provider: Provider) -> list[dict[str, Any]]:
    """Every webhook of the account (the endpoint has no paging)."""
    items = envelope_data(provider.name, provider.http.json("GET", "/webhooks"))
    if not isinstance(items, list):
        raise ServerError(provider.name, "GET /webhooks answered without a data list")
    return [item for item in items if isinstance(item, dict) and item.get("webhook_id")]


def read_many(provider: Provider, entries: Mapping[str, Entry]) -> dict[str, RemoteState | None]:
    by_id = {str(item["webhook_id"]): item for item in listed(provider)}
    states: dict[str, RemoteState | None] = {}
    for address, entry in entries.items():
        item = by_id.get(provider.remote_id(entry))
        states[address] = None if item is None else state(item)
    return states


def fetch(provider: Provider, remote_id: str) -> RemoteState:
    for item in listed(provider):
        if str(item["webhook_id"]) == remote_id:
            return state(item)
    raise NotFound(provider.name, f"no webhook with id {remote_id}", status=404)


def lookup(provider: Provider, res: DesiredResource, exclude: Collection[str]) -> Lookup:
    """Untracked webhooks with the URL and event sent: those with the description sent
    too are matches, the others may be it stored differently (they stop a proof of
    absence)."""
    same: list[Match] = []
    near: list[Match] = []
    for item in listed(provider):
        found = state(item)
        if found.remote_id in exclude:
            continue
        if (found.body["url"], found.body["event"]) != (res.body["url"], res.body["event"]):
            continue
        created = item.get("date_created")
        match = Match(found, created if isinstance(created, str) else None)
        (same if found.body == dict(res.body) else near).append(match)
    return Lookup(tuple(same), tuple(near), complete=True)


def state(item: Mapping[str, Any]) -> RemoteState:
    description = item.get("description")
    body = {
        "url": item.get("url"),
        "event": item.get("event"),
        "description": description if isinstance(description, str) else "",
    }
    return RemoteState(remote_id=str(item["webhook_id"]), body=body)
