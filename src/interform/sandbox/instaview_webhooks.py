"""Instaview's webhook endpoints, emulated per its reference pages: create answers the
bare configuration with the `signingSecret` (once); get and list answer in the guide's
`{success, data}` envelope (the list as `data: {data: [...], total}`), with header values
masked; PATCH changes the fields given (headers replace all headers); DELETE."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from interform.sandbox.emulator import Call, Route, iso, new_id
from interform.sandbox.store import Obj
from interform.sandbox.wire import Response

if TYPE_CHECKING:
    from interform.sandbox.instaview import Instaview

KIND = "webhook"


def routes(emulator: Instaview) -> list[Route]:
    def create(call: Call) -> Response:
        stamp = iso(call.now)
        hook: Obj = {
            "id": new_id(),
            "apiKeyId": call.account.name,
            "companyId": call.body.get("companyId"),
            "name": call.body.get("name"),
            "description": call.body.get("description"),
            "url": call.body["url"],
            "events": call.body["events"],
            "headers": call.body.get("headers") or [],
            "isActive": True,
            "maxRetries": 3,
            "timeoutMs": 30000,
            "consecutiveFailures": 0,
            "circuitOpenedAt": None,
            "createdAt": stamp,
            "updatedAt": stamp,
        }
        call.account.put(KIND, hook["id"], hook)
        answer = {k: hook[k] for k in ("id", "url", "events", "isActive")}
        return Response(201, {**answer, "signingSecret": secrets.token_hex(32)})

    def get(call: Call) -> Response:
        hook = emulator._existing(call, KIND, "Webhook configuration")
        return Response(200, {"success": True, "data": _shown(hook)})

    def listed(call: Call) -> Response:
        company = call.query("companyId")
        hooks = [
            _shown(h)
            for h in reversed(call.account.all(KIND))
            if company is None or h.get("companyId") == company
        ]
        return Response(200, {"success": True, "data": {"data": hooks, "total": len(hooks)}})

    def update(call: Call) -> Response:
        hook = {**emulator._existing(call, KIND, "Webhook configuration"), **call.body}
        hook["updatedAt"] = iso(call.now)
        call.account.put(KIND, hook["id"], hook)
        return Response(200, {"success": True, "data": _shown(hook)})

    def delete(call: Call) -> Response:
        hook = emulator._existing(call, KIND, "Webhook configuration")
        call.account.delete(KIND, hook["id"])
        return Response(200, {"success": True, "data": None})

    return [
        Route("POST", "/webhooks", create, "instaview.webhook.create.request"),
        Route("GET", "/webhooks", listed),
        Route("GET", "/webhooks/{id}", get),
        Route("PATCH", "/webhooks/{id}", update, "instaview.webhook.update.request"),
        Route("DELETE", "/webhooks/{id}", delete),
    ]


def _shown(hook: Obj) -> Obj:
    """Header values are never read back: Instaview masks them."""
    headers: list[dict[str, Any]] = [
        {"name": h["name"], "isMasked": True} for h in hook.get("headers") or []
    ]
    return {**hook, "headers": headers}
