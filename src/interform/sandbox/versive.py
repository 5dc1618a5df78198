"""Versive emulator (`https://api.getversive.com`, `Authorization: Bearer <token>`).

A FastAPI service: validation errors are 422 `{"detail": [{loc, msg, type}]}`, every
other error `{"detail": "<message>"}`. Studies can be created and partially updated;
participant interviews created and read. There is no list and no delete.
"""

from __future__ import annotations

import secrets
from typing import Any

from interform.providers.base import BodyProblem
from interform.sandbox.emulator import Call, Emulator, Route, Summary, iso, new_id
from interform.sandbox.store import Obj
from interform.sandbox.wire import Request, Response, pointer_path

LINK = "https://getversive.com/s/{study}?vid={vid}"
STUDY_DEFAULTS: dict[str, Any] = {
    "description": None,
    "metadata": {},
    "config": {},
    "type": "VERSIVE_STUDY",
    "mode": "TEXT_AND_VOICE",
    "welcome_message": None,
    "thank_you_message": None,
    "screen_out_message": None,
    "folder_id": None,
}
STUDY_FIELDS = ("id", "title", *STUDY_DEFAULTS, "created_at", "updated_at")
SESSION_FIELDS = ("id", "title", "study_id", "metadata", "link", "status", "created_at", "language")


class Versive(Emulator):
    platform = "versive"

    def routes(self) -> list[Route]:
        return [
            Route("POST", "/api/v1/studies", self.create_study, "versive.study.create.request"),
            Route("PUT", "/api/v1/studies/{id}", self.update_study, "versive.study.update.request"),
            Route(
                "POST", "/api/v1/interviews", self.create_session, "versive.session.create.request"
            ),
            Route("GET", "/api/v1/interviews/{id}", self.get_session),
        ]

    # ------------------------------------------------------------------ envelopes

    def credential(self, request: Request) -> str:
        if not request.headers.get("authorization"):
            raise self.reject(401, "Not authenticated")
        token = request.bearer()
        if token is None:
            raise self.reject(401, "Invalid authentication credentials")
        return token

    def error(self, status: int, message: str, *, name: str | None = None) -> Response:
        return Response(status, {"detail": message})

    def invalid(self, problems: list[BodyProblem]) -> Response:
        return Response(422, {"detail": [_detail(p) for p in problems]})

    def bad_json(self) -> Response:
        detail = {"loc": ["body", 0], "msg": "JSON decode error", "type": "value_error.jsondecode"}
        return Response(422, {"detail": [detail]})

    def summarize(self, kind: str, obj: Obj) -> Summary:
        if kind == "session":
            return Summary(obj.get("title") or "", obj["status"], {"link": obj["link"]})
        return Summary(obj["title"], obj["mode"])

    # ------------------------------------------------------------------ studies

    def create_study(self, call: Call) -> Response:
        stamp = iso(call.now, millis=False)
        study = {**STUDY_DEFAULTS, **call.body, "id": new_id(), "created_at": stamp}
        study["updated_at"] = stamp
        call.account.put("study", study["id"], study)
        return Response(200, _shown(study, STUDY_FIELDS))

    def update_study(self, call: Call) -> Response:
        study = self._existing(call, "study", call.params["id"], "Study not found")
        if call.body:
            study = {**study, **call.body, "updated_at": iso(call.now, millis=False)}
            call.account.put("study", study["id"], study)
        return Response(200, _shown(study, STUDY_FIELDS))

    # ------------------------------------------------------------------ sessions

    def create_session(self, call: Call) -> Response:
        body: Obj = call.body
        study = self._existing(call, "study", body["study_id"], "Study not found")
        vid = "vid_" + secrets.token_hex(8)
        session = {
            "id": new_id(),
            "title": body.get("title"),
            "study_id": study["id"],
            "metadata": body.get("metadata") if body.get("metadata") is not None else {},
            "language": body.get("language") or "English",
            "link": LINK.format(study=study["id"], vid=vid),
            "status": "open",
            "created_at": iso(call.now, millis=False),
            "vid": vid,
            "is_archived": False,
            "transcript": None,
        }
        call.account.put("session", session["id"], session)
        return Response(200, _shown(session, SESSION_FIELDS))

    def get_session(self, call: Call) -> Response:
        session = self._existing(call, "session", call.params["id"], "Interview not found")
        return Response(200, dict(session))

    def _existing(self, call: Call, kind: str, oid: str, message: str) -> Obj:
        found = call.account.get(kind, oid)
        if found is None:
            raise self.reject(404, message)
        return found


def _shown(obj: Obj, names: tuple[str, ...]) -> Obj:
    return {name: obj.get(name) for name in names}


def _detail(problem: BodyProblem) -> Obj:
    """A FastAPI validation entry, worded as Versive's documentation shows it."""
    missing = problem.message == "is required"
    return {
        "loc": ["body", *pointer_path(problem.pointer)],
        "msg": "field required" if missing else problem.message,
        "type": "value_error.missing" if missing else "value_error",
    }
