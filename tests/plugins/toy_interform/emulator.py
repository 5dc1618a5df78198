"""The toy's emulator: interviews created, read, replaced and deleted by id."""

from __future__ import annotations

from typing import Any

from interform.providers.base import BodyProblem
from interform.sandbox.emulator import Call, Emulator, Route, Summary, new_id
from interform.sandbox.store import Obj
from interform.sandbox.wire import Request, Response


class ToyEmulator(Emulator):
    platform = "toy"

    def routes(self) -> list[Route]:
        return [
            Route("POST", "/interviews", self.create),
            Route("GET", "/interviews/{id}", self.get),
            Route("PUT", "/interviews/{id}", self.replace),
            Route("DELETE", "/interviews/{id}", self.delete),
        ]

    def credential(self, request: Request) -> str:
        token = request.bearer()
        if token is None:
            raise self.reject(401, "no token")
        return token

    def error(self, status: int, message: str, *, name: str | None = None) -> Response:
        return Response(status, {"error": message})

    def invalid(self, problems: list[BodyProblem]) -> Response:
        return Response(400, {"error": "; ".join(p.message for p in problems)})

    def summarize(self, kind: str, obj: Obj) -> Summary:
        return Summary(obj["name"], "", {"link": obj["link"]})

    def create(self, call: Call) -> Response:
        made = {**self._body(call), "id": new_id()}
        made["link"] = f"https://toy.example/i/{made['id']}"
        call.account.put("interview", made["id"], made)
        return Response(201, made)

    def get(self, call: Call) -> Response:
        return Response(200, self._existing(call))

    def replace(self, call: Call) -> Response:
        found = self._existing(call)
        changed = {**self._body(call), "id": found["id"], "link": found["link"]}
        call.account.put("interview", found["id"], changed)
        return Response(200, changed)

    def delete(self, call: Call) -> Response:
        found = self._existing(call)
        call.account.delete("interview", found["id"])
        return Response(204, None)

    def _body(self, call: Call) -> dict[str, Any]:
        if not isinstance(call.body, dict) or not isinstance(call.body.get("name"), str):
            raise self.reject(400, "a toy interview needs a name")
        return dict(call.body)

    def _existing(self, call: Call) -> Obj:
        found = call.account.get("interview", call.params["id"])
        if found is None:
            raise self.reject(404, "no such interview")
        return found
