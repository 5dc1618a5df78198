"""Instaview emulator (`https://api.instaview.sk`, `Authorization: Bearer <key>`).

Agents are the reusable templates; interviews (sessions) run an agent for one candidate
and may create the candidate, job and agent inline; jobs and candidates also have their
own endpoints (`instaview_objects.py`). Every authenticated answer carries
the key's rate-limit headers; over the limit the answer is 429 with Retry-After.
Errors come in both documented envelopes: the guide's for authentication and missing
resources, NestJS's for validation and throttling.
"""

from __future__ import annotations

import math
import threading
from typing import Any

from interform.providers.base import BodyProblem
from interform.sandbox import instaview_webhooks
from interform.sandbox.emulator import (
    Call,
    Emulator,
    Handler,
    Route,
    Summary,
    is_uuid,
    iso,
    new_id,
    schema_problems,
)
from interform.sandbox.instaview_objects import JobsAndCandidates
from interform.sandbox.instaview_sessions import SessionPlan, plan_session, session_rules
from interform.sandbox.store import Account, Obj
from interform.sandbox.wire import Reject, Request, Response, dotted

DEFAULT_LIMITS = (60, 2000)  # per minute, per hour, per key (documented defaults)
WINDOWS = (("Minute", 60.0), ("Hour", 3600.0))
AGENT_FIELDS = (
    "name",
    "type",
    "focus",
    "language",
    "duration",
    "questions",
    "instructions",
    "voiceId",
    "companyPhoneNumberId",
    "cefrLevel",
)
GUIDE_CODES = {401: "INVALID_API_KEY", 403: "INSUFFICIENT_PERMISSIONS", 404: "RESOURCE_NOT_FOUND"}
REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


class Instaview(JobsAndCandidates, Emulator):
    platform = "instaview"
    paging_parameter = "page"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._windows: dict[str, list[float]] = {}  # account -> [start, count] per window
        self._windows_lock = threading.Lock()

    def routes(self) -> list[Route]:
        return [
            Route("POST", "/agents", self.create_agent, "instaview.agent.create.request"),
            Route("GET", "/agents", self.list_agents),
            Route("GET", "/agents/{id}", self.get_agent),
            Route("PATCH", "/agents/{id}", self.update_agent, "instaview.agent.update.request"),
            Route("DELETE", "/agents/{id}", self.deleter("agent", "Agent")),
            Route(
                "POST",
                "/interviews",
                self.create_session,
                "instaview.session.create.request",
                rules=session_rules,
            ),
            Route("GET", "/interviews", self.list_sessions),
            Route("GET", "/interviews/{id}", self.get_session),
            Route("DELETE", "/interviews/{id}", self.deleter("session", "Interview")),
            *self.object_routes(),
            *instaview_webhooks.routes(self),
        ]

    # ------------------------------------------------------------------ envelopes

    def credential(self, request: Request) -> str:
        token = request.bearer()
        if token is None:
            raise self.reject(401, "Invalid or missing API key")
        return token

    def error(self, status: int, message: str, *, name: str | None = None) -> Response:
        if status in GUIDE_CODES:
            error = {"code": GUIDE_CODES[status], "message": message, "details": None}
            body = {"success": False, "data": None, "error": error, "timestamp": iso(self.clock())}
            return Response(status, body)
        return self.nest(status, message)

    def nest(self, status: int, message: str | list[str]) -> Response:
        reason = REASONS.get(status, "Error")
        return Response(status, {"statusCode": status, "message": message, "error": reason})

    def invalid(self, problems: list[BodyProblem]) -> Response:
        return self.nest(400, [f"{dotted(p.pointer)} {p.message}" for p in problems])

    def broken(self, rules: list[str]) -> Response:
        return self.nest(400, rules)

    def bad_json(self) -> Response:
        return self.nest(400, "Unexpected token in JSON at position 0")

    def no_route(self, request: Request, path: str, known_path: bool) -> Response:
        return self.nest(404, f"Cannot {request.method} {path}")

    def throttled(self, retry_after: float) -> Response:
        return _throttled(math.ceil(retry_after), DEFAULT_LIMITS[0], math.ceil(retry_after))

    def promise_more(self, body: Any) -> None:
        data = body.get("data") if isinstance(body, dict) else None
        if isinstance(data, list):  # the candidates list: its page count says more follow
            body["totalPages"] = int(body.get("page") or 1) + 1
            return
        pagination = data.get("pagination") if isinstance(data, dict) else None
        if isinstance(pagination, dict):
            pagination["hasNextPage"] = True

    def summarize(self, kind: str, obj: Obj) -> Summary:
        if kind == "session":
            return Summary(_session_label(obj), obj["status"])
        if kind == "candidate":
            return Summary(f"{obj['firstName']} {obj['lastName']}")
        if kind == instaview_webhooks.KIND:
            return Summary(f"{obj['name'] or obj['url']} → {obj['url']}", ", ".join(obj["events"]))
        if kind == "job":
            return Summary(obj.get("title") or obj.get("jobTitle") or "", obj.get("status") or "")
        return Summary(obj["name"], obj.get("focus") or "")

    # ------------------------------------------------------------------ rate limits

    def admit(self, account: Account, rate_limit: tuple[int, int] | None) -> dict[str, str]:
        limits = rate_limit if rate_limit is not None else DEFAULT_LIMITS
        if limits == (0, 0):
            return {}
        now = self.clock()
        with self._windows_lock:
            state = self._windows.setdefault(account.name, [now, 0, now, 0])
            headers, wait = {}, 0.0
            for i, ((label, length), limit) in enumerate(zip(WINDOWS, limits, strict=True)):
                if now >= state[2 * i] + length:
                    state[2 * i], state[2 * i + 1] = now, 0
                reset = state[2 * i] + length - now
                if limit and state[2 * i + 1] >= limit:
                    wait = max(wait, reset)
                headers[f"X-RateLimit-Limit-{label}"] = str(limit)
                headers[f"X-RateLimit-Reset-{label}"] = str(math.ceil(reset))
            if wait:
                for label, _ in WINDOWS:
                    headers[f"X-RateLimit-Remaining-{label}"] = "0"
                refused = _throttled(math.ceil(wait), limits[0], math.ceil(wait))
                refused.headers.update(headers)
                raise Reject(refused)
            for i, ((label, _), limit) in enumerate(zip(WINDOWS, limits, strict=True)):
                state[2 * i + 1] += 1
                remaining = max(0, limit - int(state[2 * i + 1])) if limit else 0
                headers[f"X-RateLimit-Remaining-{label}"] = str(remaining)
        return headers

    # ------------------------------------------------------------------ agents

    def create_agent(self, call: Call) -> Response:
        agent = self._new_agent(call, call.body)
        return Response(201, agent)

    def _new_agent(self, call: Call, body: Obj) -> Obj:
        stamp = iso(call.now)
        agent: Obj = {"id": new_id(), "companyId": _company(call.account)}
        agent.update({f: body.get(f) for f in AGENT_FIELDS})
        agent.update(questions=body.get("questions") or [], createdAt=stamp, updatedAt=stamp)
        call.account.put("agent", agent["id"], agent)
        return agent

    def list_agents(self, call: Call) -> Response:
        return self._page(call, list(reversed(call.account.all("agent"))))

    def get_agent(self, call: Call) -> Response:
        return Response(200, self._existing(call, "agent", "Agent"))

    def update_agent(self, call: Call) -> Response:
        agent = {**self._existing(call, "agent", "Agent"), **(call.body or {})}
        agent.update(questions=agent.get("questions") or [], updatedAt=iso(call.now))
        call.account.put("agent", agent["id"], agent)
        return Response(200, agent)

    # ------------------------------------------------------------------ sessions

    def create_session(self, call: Call) -> Response:
        plan = plan_session(call.body, call.account, call.now)
        if plan.missing:
            kind, oid = plan.missing
            raise self.reject(404, f"{kind} with id {oid} not found")
        if plan.problems:
            raise Reject(self.nest(400, plan.problems))
        if plan.inline_agent is not None:
            broken = schema_problems("instaview.agent.create.request", plan.inline_agent)
            if broken:
                raise Reject(
                    self.nest(400, [f"agent.{dotted(p.pointer)} {p.message}" for p in broken])
                )
        session = self._commit(call, plan)
        return Response(201, session)

    def _commit(self, call: Call, plan: SessionPlan) -> Obj:
        stamp = iso(call.now)
        company = _company(call.account)
        if plan.job is not None:
            call.account.put(
                "job", plan.job["id"], {**plan.job, "companyId": company, "createdAt": stamp}
            )
        if plan.candidate is not None:
            candidate = {"createdAt": stamp, **plan.candidate, "companyId": company}
            call.account.put("candidate", plan.candidate["id"], {**candidate, "updatedAt": stamp})
        agent = (
            plan.agent if plan.inline_agent is None else self._new_agent(call, plan.inline_agent)
        )
        body: Obj = call.body
        test = bool(body.get("isTest"))
        session = {
            "id": new_id(),
            "candidateId": plan.candidate_id,
            "agentId": agent["id"],
            "status": "COMPLETED" if test else "SCHEDULED",
            "scheduledAt": body.get("scheduleTime") or stamp,
            "createdAt": stamp,
            "updatedAt": stamp,
            "jobId": plan.job_id,
            "durationMinutes": 5 if test else agent.get("duration"),
            "finishedDate": stamp if test else None,
            "metadata": body.get("metadata"),
            "callAttempts": [],
            "analysis": _mock_analysis(stamp) if test else None,
            "isTest": test,
        }
        call.account.put("session", session["id"], session)
        return session

    def list_sessions(self, call: Call) -> Response:
        candidate = call.query("candidateId")
        if not candidate:
            raise Reject(self.nest(400, ["candidateId should not be empty"]))
        problems = [
            f"{n} must be a UUID"
            for n in ("candidateId", "agentId")
            if call.query(n) and not is_uuid(call.query(n))
        ]
        if problems:
            raise Reject(self.nest(400, problems))
        agent, status = call.query("agentId"), call.query("status")
        found = [
            s
            for s in reversed(call.account.all("session"))
            if s["candidateId"] == candidate
            and (agent is None or s["agentId"] == agent)
            and (status is None or s["status"] == status)
        ]
        return self._page(call, found)

    def get_session(self, call: Call) -> Response:
        return Response(200, self._existing(call, "session", "Interview"))

    # ------------------------------------------------------------------ helpers

    def company(self, call: Call) -> str:
        return _company(call.account)

    def deleter(self, kind: str, label: str) -> Handler:
        """`DELETE /<kind>s/{id}` as Instaview documents it for agents, jobs, candidates
        and interviews: `true`, or 404 once it is gone."""

        def delete(call: Call) -> Response:
            call.account.delete(kind, self._existing(call, kind, label)["id"])
            return Response(200, True)

        return delete

    def _existing(self, call: Call, kind: str, label: str) -> Obj:
        oid = call.params["id"]
        if not is_uuid(oid):
            raise Reject(self.nest(400, "Validation failed (uuid is expected)"))
        found = call.account.get(kind, oid)
        if found is None:
            raise self.reject(404, f"{label} with id {oid} not found")
        return found

    def _page(self, call: Call, items: list[Obj]) -> Response:
        problems = []
        page, limit = call.query("page") or "1", call.query("limit") or "20"
        if not page.isdigit() or int(page) < 1:
            problems.append("page must not be less than 1")
        if not limit.isdigit() or int(limit) < 1:
            problems.append("limit must not be less than 1")
        elif int(limit) > 100:
            problems.append("limit must not be greater than 100")
        if problems:
            raise Reject(self.nest(400, problems))
        p, n = int(page), int(limit)
        pages = math.ceil(len(items) / n)
        pagination = {
            "total": len(items),
            "page": p,
            "limit": n,
            "totalPages": pages,
            "hasNextPage": p < pages,
            "hasPreviousPage": p > 1,
        }
        data = {"items": items[(p - 1) * n : p * n], "pagination": pagination}
        return Response(200, {"success": True, "data": data})


def _company(account: Account) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"interform-sandbox:instaview:{account.name}"))


def _throttled(retry_after: int, limit: int, reset: int) -> Response:
    body = {
        "statusCode": 429,
        "message": f"Rate limit exceeded. Try again in {retry_after} seconds.",
        "error": "Too Many Requests",
        "retryAfter": retry_after,
        "limit": limit,
        "remaining": 0,
        "reset": reset,
    }
    return Response(429, body, {"Retry-After": str(retry_after)})


def _session_label(session: Obj) -> str:
    marker = (session.get("metadata") or {}).get("interform")
    return str(marker) if marker else f"candidate {session['candidateId']}"


def _mock_analysis(stamp: str) -> Obj:
    """The mock screening analysis test interviews come with."""
    return {
        "id": new_id(),
        "general": {
            "createdAt": stamp,
            "updatedAt": stamp,
            "overallRating": 80,
            "companyFitRating": "HIGH",
            "strongPoints": ["Clear communication"],
            "weakPoints": ["Test interview: no real answers"],
            "evaluation": ["Generated for a test interview"],
            "status": 3,
        },
        "conversationCheck": {"candidateInterest": True, "conversationCompleted": True},
    }
