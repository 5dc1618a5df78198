"""micro1's webhook endpoints, emulated per its OpenAPI: `POST /webhook` answers `{id}`
(CreateWebhookResponse), `GET /webhooks` lists every webhook in the envelope (no paging
parameters), `PUT /webhook/{id}` takes the create body, `DELETE /webhook/{id}`. Like the
interview endpoints, an unknown id is a 400 whose message says "not found"."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from interform.sandbox.emulator import Call, Route, new_id
from interform.sandbox.store import Obj
from interform.sandbox.wire import Response

if TYPE_CHECKING:
    from interform.sandbox.emulator import Emulator

KIND = "webhook"


def routes(emulator: Emulator) -> list[Route]:
    def existing(call: Call) -> Obj:
        stored = call.account.get(KIND, call.params["id"])
        if stored is None:
            raise emulator.reject(400, "Webhook not found")
        return stored

    def create(call: Call) -> Response:
        oid, stamp = new_id(), _stamp(call.now)
        record = {"webhook_id": oid, "description": "", **call.body, "status": "active"}
        record.update(date_created=stamp, date_modified=stamp)
        call.account.put(KIND, oid, record)
        return Response(200, {"id": oid})

    def listed(call: Call) -> Response:
        data = list(reversed(call.account.all(KIND)))
        return Response(
            200, {"status": True, "message": "Webhooks fetched successfully", "data": data}
        )

    def update(call: Call) -> Response:
        stored = existing(call)
        record = {**stored, **call.body, "date_modified": _stamp(call.now)}
        call.account.put(KIND, stored["webhook_id"], record)
        return Response(200, {"status": True, "message": "Webhook updated successfully"})

    def delete(call: Call) -> Response:
        call.account.delete(KIND, existing(call)["webhook_id"])
        return Response(200, {"status": True, "message": "Webhook deleted successfully"})

    return [
        Route("POST", "/webhook", create, "micro1.webhook.create.request"),
        Route("GET", "/webhooks", listed),
        Route("PUT", "/webhook/{id}", update, "micro1.webhook.update.request"),
        Route("DELETE", "/webhook/{id}", delete),
    ]


def _stamp(now: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now))
