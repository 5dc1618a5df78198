"""micro1 emulator (`https://public.api.micro1.ai`, header `x-api-key`).

Writes take codes and minutes; the listing answers with what micro1 documents reading
back: `custom_questions` with `time` in seconds, and languages as English display names.
"""

from __future__ import annotations

import time
from typing import Any

from interform.model import languages
from interform.providers.base import BodyProblem
from interform.sandbox import micro1_webhooks
from interform.sandbox.emulator import Call, Emulator, Route, Summary, new_id
from interform.sandbox.store import Obj
from interform.sandbox.wire import Reject, Request, Response, dotted

KIND = "interview"
INVITE_URL = "https://interview.micro1.ai/intro/micro1?uid={id}"

DEFAULTS: dict[str, Any] = {
    "skills": [],
    "custom_question_list": [],
    "interview_language": "en",
    "can_change_interview_language": False,
    "only_coding_round": False,
    "is_coding_round_required": False,
    "selected_coding_language": "user_choice",
    "coding_exercise_details": None,
    "is_proctoring_required": True,
}

CODING_NAMES = {
    "user_choice": "User Choice",
    "javascript": "JavaScript",
    "cpp": "C++",
    "c": "C",
    "csharp": "C#",
    "go": "Go",
    "java": "Java",
    "kotlin": "Kotlin",
    "php": "PHP",
    "python": "Python",
    "ruby": "Ruby",
    "rust": "Rust",
    "swift": "Swift",
    "typescript": "TypeScript",
}


# micro1 reads name the language (the conventions page: our English names)
LANGUAGE_NAMES = {
    spelled: languages.name_of(code) for code, spelled in languages.table("micro1").items()
}
MAX_SKILLS, MAX_QUESTIONS, MIN_TIME, MAX_TIME = 10, 20, 1, 4


class Micro1(Emulator):
    platform = "micro1"
    paging_parameter = "page"  # more pages follow a full one: nothing to promise with

    def routes(self) -> list[Route]:
        return [
            Route("POST", "/interview", self.create, "micro1.interview.create.request"),
            Route(
                "POST", "/custom/interview", self.create, "micro1.interview.create-custom.request"
            ),
            Route("GET", "/interviews", self.list_interviews),
            Route("PUT", "/interview/{id}", self.update, "micro1.interview.update.request"),
            Route("DELETE", "/interview/{id}", self.delete),
            *micro1_webhooks.routes(self),
        ]

    # ------------------------------------------------------------------ envelope

    def credential(self, request: Request) -> str:
        key = request.headers.get("x-api-key", "").strip()
        if not key or any(c.isspace() for c in key):
            raise self.reject(401, "Invalid API key")
        return key

    def error(self, status: int, message: str, *, name: str | None = None) -> Response:
        if status >= 500:
            return Response(status, {"status": False})
        return Response(status, {"status": False, "message": message})

    def invalid(self, problems: list[BodyProblem]) -> Response:
        text = "; ".join(f"{dotted(p.pointer)} {p.message}" for p in problems)
        return self.error(400, text)

    def bad_json(self) -> Response:
        return self.error(400, "Invalid request")

    def no_route(self, request: Request, path: str, known_path: bool) -> Response:
        return self.error(404, f"Cannot {request.method} {path}")

    def summarize(self, kind: str, obj: Obj) -> Summary:
        if kind == micro1_webhooks.KIND:
            return Summary(f"{obj['event']} → {obj['url']}", obj["status"])
        return Summary(obj["interview_name"], obj["status"], {"invite_url": obj["invite_url"]})

    # ------------------------------------------------------------------ handlers

    def create(self, call: Call) -> Response:
        body = self._checked(call.body)
        oid = new_id()
        stamp = _stamp(call.now)
        record = {**DEFAULTS, **body, "interview_id": oid, "invite_url": INVITE_URL.format(id=oid)}
        record.update(date_created=stamp, date_modified=stamp, status="active")
        call.account.put(KIND, oid, record)
        data = {"interview_id": oid, "invite_url": record["invite_url"]}
        return Response(
            200, {"status": True, "message": "Interview created successfully", "data": data}
        )

    def list_interviews(self, call: Call) -> Response:
        page = self._positive(call.query("page"), 1, "page")
        limit = self._positive(call.query("limit"), 10, "limit")
        keyword = (call.query("keyword") or "").lower()
        found = [
            obj
            for obj in reversed(call.account.all(KIND))
            if keyword in obj["interview_name"].lower()
        ]
        # only the page is converted: converting every stored interview made each list
        # call cost ~40 µs per object in the account
        data = [_listed(obj) for obj in found[(page - 1) * limit : page * limit]]
        return Response(
            200, {"status": True, "message": "Interviews fetched successfully", "data": data}
        )

    def update(self, call: Call) -> Response:
        stored = self._existing(call)
        body = self._checked(call.body or {})
        record = {**stored, **body, "date_modified": _stamp(call.now)}
        call.account.put(KIND, stored["interview_id"], record)
        return Response(200, {"status": True, "message": "Interview updated successfully"})

    def delete(self, call: Call) -> Response:
        stored = self._existing(call)
        call.account.delete(KIND, stored["interview_id"])
        return Response(200, {"status": True, "message": "Interview deleted successfully"})

    # ------------------------------------------------------------------ rules

    def _positive(self, raw: str | None, default: int, name: str) -> int:
        if raw is None or raw == "":
            return default
        if not raw.isdigit() or int(raw) < 1:
            raise self.reject(400, f"{name} must be a positive integer")
        return int(raw)

    def _existing(self, call: Call) -> Obj:
        stored = call.account.get(KIND, call.params["id"])
        if stored is None:
            # the spec declares no 404 for these operations
            raise self.reject(400, "Interview not found")
        return stored

    def _checked(self, body: Any) -> Obj:
        """The limits micro1 states in prose only (the schemas carry them as well)."""
        if not isinstance(body, dict):
            raise self.reject(400, "Invalid request")
        problems = []
        if len(body.get("skills") or []) > MAX_SKILLS:
            problems.append(f"skills: at most {MAX_SKILLS} skills are allowed")
        questions = body.get("custom_question_list") or []
        if len(questions) > MAX_QUESTIONS:
            problems.append(f"custom_question_list: at most {MAX_QUESTIONS} questions are allowed")
        for i, q in enumerate(questions):
            t = q.get("time") if isinstance(q, dict) else None
            if t is not None and not MIN_TIME <= t <= MAX_TIME:
                problems.append(f"custom_question_list[{i}].time must be between 1 and 4 minutes")
        if problems:
            raise Reject(self.error(400, "; ".join(problems)))
        return body


def _stamp(now: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now))


def _positive(raw: str | None, default: int, name: str) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise Reject(
            Response(400, {"status": False, "message": f"{name} must be a positive integer"})
        )
    return int(raw)


def _listed(obj: Obj) -> Obj:
    """A stored interview as GET /interviews shows it: seconds and display names."""
    language, coding = obj["interview_language"], obj["selected_coding_language"]
    questions = [_listed_question(q) for q in obj["custom_question_list"]]
    return {
        "interview_id": obj["interview_id"],
        "interview_name": obj["interview_name"],
        "invite_url": obj["invite_url"],
        "skills": [{"name": s["name"], "description": s.get("description")} for s in obj["skills"]],
        "custom_questions": questions,
        "interview_language": LANGUAGE_NAMES.get(language, language),
        "can_change_interview_language": obj["can_change_interview_language"],
        "only_coding_round": obj["only_coding_round"],
        "is_coding_round_required": obj["is_coding_round_required"],
        "selected_coding_language": CODING_NAMES.get(coding, coding),
        "coding_exercise_details": obj["coding_exercise_details"],
        "is_proctoring_required": obj["is_proctoring_required"],
        "date_created": obj["date_created"],
        "date_modified": obj["date_modified"],
        "status": obj["status"],
    }


def _listed_question(q: Obj) -> Obj:
    listed: Obj = {"question": q["question"]}
    if q.get("time") is not None:
        listed["time"] = q["time"] * 60  # written in minutes, read back in seconds
    if q.get("type") is not None:
        listed["type"] = q["type"]
    return listed
