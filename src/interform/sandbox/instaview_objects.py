"""The Instaview emulator's jobs and candidates: create, get, list, update, delete.

A job or candidate is a bare object with the fields it was created with, its company,
and timestamps; a candidate's jobs are a list (`jobIds`) that `jobId` or `jobIds` set.
Their `metadata` keeps the interviews' limits (10 KB, 5 levels, 50 keys). An update
merges the fields sent; the request schemas take no null, as the documentation gives
none to clear a field with.
"""

from __future__ import annotations

from typing import Any

from interform.sandbox.emulator import Call, Handler, Route, iso, new_id
from interform.sandbox.instaview_sessions import metadata_problems
from interform.sandbox.store import Obj
from interform.sandbox.wire import Reject, Response

# what a candidate's own fields say about their jobs: `jobId` adds one, `jobIds` sets all
_JOB_KEYS = ("jobId", "jobIds")


class JobsAndCandidates:
    """Handlers mixed into the Instaview emulator, which provides the helpers used here
    (`_existing`, `deleter`, `_page`, `nest`, `reject`) and the company of an account."""

    def object_routes(self) -> list[Route]:
        return [
            Route("POST", "/jobs", self.create_job, "instaview.job.create.request"),
            Route("GET", "/jobs", self.list_jobs),
            Route("GET", "/jobs/{id}", self.get_job),
            Route("PATCH", "/jobs/{id}", self.update_job, "instaview.job.update.request"),
            Route("DELETE", "/jobs/{id}", self.deleter("job", "Job")),
            Route(
                "POST", "/candidates", self.create_candidate, "instaview.candidate.create.request"
            ),
            Route("GET", "/candidates", self.list_candidates),
            Route("GET", "/candidates/{id}", self.get_candidate),
            Route(
                "PATCH",
                "/candidates/{id}",
                self.update_candidate,
                "instaview.candidate.update.request",
            ),
            Route("DELETE", "/candidates/{id}", self.deleter("candidate", "Candidate")),
        ]

    # ------------------------------------------------------------------ jobs

    def create_job(self, call: Call) -> Response:
        self._check_metadata(call.body)
        stamp = iso(call.now)
        job = {"id": new_id(), "companyId": self.company(call), **call.body}
        job.update(createdAt=stamp, updatedAt=stamp)
        call.account.put("job", job["id"], job)
        return Response(201, job)

    def list_jobs(self, call: Call) -> Response:
        status = call.query("status")
        jobs = [
            j
            for j in reversed(call.account.all("job"))
            if status is None or j.get("status") == status
        ]
        return self._page(call, jobs)

    def get_job(self, call: Call) -> Response:
        return Response(200, self._existing(call, "job", "Job"))

    def update_job(self, call: Call) -> Response:
        self._check_metadata(call.body)
        job = {**self._existing(call, "job", "Job"), **call.body}
        job["updatedAt"] = iso(call.now)
        call.account.put("job", job["id"], job)
        return Response(200, job)

    # ------------------------------------------------------------------ candidates

    def create_candidate(self, call: Call) -> Response:
        self._check_metadata(call.body)
        stamp = iso(call.now)
        fields = {k: v for k, v in call.body.items() if k not in _JOB_KEYS}
        candidate = {"id": new_id(), "companyId": self.company(call), **fields}
        candidate.update(jobIds=self._jobs_of(call, call.body, []), createdAt=stamp)
        candidate["updatedAt"] = stamp
        call.account.put("candidate", candidate["id"], candidate)
        return Response(201, candidate)

    def list_candidates(self, call: Call) -> Response:
        """The list-candidates reference's shape; `search` matches names, email, phone."""
        search = (call.query("search") or "").lower()
        job = call.query("jobId")
        fields = ("firstName", "lastName", "email", "phoneNumber")
        found = [
            c
            for c in reversed(call.account.all("candidate"))
            if any(search in str(c.get(f) or "").lower() for f in fields)
            and (job is None or job in (c.get("jobIds") or []))
        ]
        page = self._page(call, found).body["data"]
        listed = page["pagination"]
        return Response(
            200,
            {
                "data": page["items"],
                **{k: listed[k] for k in ("total", "page", "limit", "totalPages")},
            },
        )

    def get_candidate(self, call: Call) -> Response:
        return Response(200, self._existing(call, "candidate", "Candidate"))

    def update_candidate(self, call: Call) -> Response:
        self._check_metadata(call.body)
        old: Obj = self._existing(call, "candidate", "Candidate")
        fields = {k: v for k, v in call.body.items() if k not in _JOB_KEYS}
        candidate = {**old, **fields, "updatedAt": iso(call.now)}
        candidate["jobIds"] = self._jobs_of(call, call.body, list(old.get("jobIds") or []))
        call.account.put("candidate", candidate["id"], candidate)
        return Response(200, candidate)

    # ------------------------------------------------------------------ helpers

    # provided by the emulator this is mixed into
    def company(self, call: Call) -> str:
        raise NotImplementedError

    def _existing(self, call: Call, kind: str, label: str) -> Obj:
        raise NotImplementedError

    def deleter(self, kind: str, label: str) -> Handler:
        raise NotImplementedError

    def _page(self, call: Call, items: list[Obj]) -> Response:
        raise NotImplementedError

    def nest(self, status: int, message: str | list[str]) -> Response:
        raise NotImplementedError

    def _jobs_of(self, call: Call, body: Any, jobs: list[str]) -> list[str]:
        """The candidate's jobs after `body`: `jobIds` replaces them, `jobId` makes it
        the candidate's job; every one must exist in the company."""
        if "jobIds" in body:
            jobs = list(body["jobIds"])
        elif "jobId" in body:
            jobs = [body["jobId"]]
        missing = [j for j in jobs if call.account.get("job", j) is None]
        if missing:
            problems = [f"job {j} does not exist in your company" for j in missing]
            raise Reject(self.nest(400, problems))
        return jobs

    def _check_metadata(self, body: Any) -> None:
        problems = metadata_problems(body.get("metadata") if isinstance(body, dict) else None)
        if problems:
            raise Reject(self.nest(400, problems))
