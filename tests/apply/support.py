"""A real project in a temporary directory (micro1, Instaview and Versive targets) and
helpers to run the CLI on it against the in-process sandbox."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from interform.apply.console import Console
from interform.apply.run import ApplyRequest, run_apply
from interform.lockfile.model import Lockfile
from interform.lockfile.store import read_lockfile
from interform.platforms import names as platform_names
from interform.sandbox import Faults, state_dir, transport
from interform.workspace import SANDBOX_LOCKFILE
from project_files import BACKEND, FRONTEND, STUDY, run, write_definition, write_project

__all__ = ["BACKEND", "FRONTEND", "STUDY", "run", "write_definition"]

PROJECT = """\
project: demo
targets:
  micro1:
    provider: micro1
  iv:
    provider: instaview
  vs:
    provider: versive
"""


# the demo project with a JobMojito target too, and a definition that deploys to it
JOBMOJITO_PROJECT = (
    PROJECT
    + """\
  jm:
    provider: jobmojito
defaults:
  jobmojito:
    interview_template_id: 46b98d37-1557-4391-beca-03037ead19f2
"""
)

SUPPORT = """\
title: Support specialist
description: Chat and email support for European customers.
targets: [jm]
questions:
  - id: angry
    text: A customer is angry about a double charge. What do you do first?
"""


def make_project(root: Path, **files: str) -> Path:
    """The demo project; `files` maps definition addresses to YAML (overrides/additions,
    an empty string deletes)."""
    defaults = {"eng/backend": BACKEND, "eng/frontend": FRONTEND, "research/study": STUDY}
    return write_project(root, PROJECT, {**defaults, **files})


def sandbox_lock(root: Path) -> Lockfile:
    lock = read_lockfile(root / SANDBOX_LOCKFILE)
    assert lock is not None
    return lock


def remote_objects(root: Path) -> dict[tuple[str, str], dict[str, dict[str, Any]]]:
    """What the emulators hold, as a user would see it in each platform's dashboard:
    (platform, account) -> {"<kind>/<id>": object}."""
    found: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for platform in platform_names():
        for log in sorted((state_dir(root) / platform).glob("*.jsonl")):
            objects: dict[str, dict[str, Any]] = {}
            for record in _records(log):
                if "put" in record:
                    objects[f"{record['put']}/{record['id']}"] = record["obj"]
                elif "del" in record:
                    objects.pop(f"{record['del']}/{record['id']}", None)
            found[(platform, log.stem)] = objects
    return found


def _records(log: Path) -> Iterator[dict[str, Any]]:
    for line in log.read_bytes().splitlines():
        try:
            yield json.loads(line)
        except ValueError:
            continue


class Wire(httpx.BaseTransport):
    """The sandbox emulator of one platform behind a wire the test controls: it logs
    every request and may answer some itself (`fail`) before or after they reach the
    emulator."""

    def __init__(self, inner: httpx.BaseTransport, target: str, tap: Tap) -> None:
        self.inner = inner
        self.target = target
        self.tap = tap

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.tap.handle(self.target, request, self.inner)


Rule = Callable[[str, httpx.Request], "str | httpx.Response | None"]


class Tap:
    """Shared by the wires of every target: the request log, concurrency seen, and
    rules deciding failures. A rule returns None (pass), "reject" (422 before the
    emulator sees it), "drop" (the emulator executes it, then the answer is lost),
    "late" (the client times out at once; the emulator executes it `late` seconds
    afterwards, as a slow platform finishes a request its client gave up on) or a
    response (the emulator executes it, and the client gets that answer instead)."""

    def __init__(self, root: Path, delay: float = 0.0, late: float = 1.0) -> None:
        self.root = root
        self.delay = delay
        self.late = late
        self.landing: list[threading.Thread] = []  # late requests still to execute
        self.log: list[tuple[str, str, str]] = []
        self.rules: list[Rule] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._mutex = threading.Lock()

    def factory(self, provider: str, target: str) -> httpx.BaseTransport:
        inner = transport(provider, state_dir=state_dir(self.root), faults=Faults())
        return Wire(inner, target, self)

    def handle(
        self, target: str, request: httpx.Request, inner: httpx.BaseTransport
    ) -> httpx.Response:
        verdict = next((v for rule in self.rules if (v := rule(target, request))), None)
        with self._mutex:
            self.log.append((target, request.method, request.url.path))
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.delay:
                time.sleep(self.delay)
            if verdict == "late":
                request.read()
                landing = threading.Timer(self.late, inner.handle_request, (request,))
                self.landing.append(landing)
                landing.start()
                raise httpx.ReadTimeout("no answer in time (test)", request=request)
            if verdict == "reject":
                body = {"detail": [{"loc": ["body"], "msg": "rejected by the test", "type": "x"}]}
                return httpx.Response(422, json=body)
            response = inner.handle_request(request)
            if verdict == "drop":
                response.read()
                raise httpx.ReadTimeout("answer lost (test)", request=request)
            if isinstance(verdict, httpx.Response):
                response.read()
                return verdict
            return response
        finally:
            with self._mutex:
                self.in_flight -= 1

    def posts(self, target: str | None = None) -> list[str]:
        return [p for t, m, p in self.log if m == "POST" and (target is None or t == target)]


def apply_with(root: Path, tap: Tap | None = None, **options: Any) -> tuple[int, str]:
    """Run the apply engine in-process against the sandbox; (exit code, output)."""
    out = io.StringIO()
    request = ApplyRequest(
        sandbox=True,
        auto_approve=True,
        transport=tap.factory if tap else None,
        **options,
    )
    code = run_apply(request, Console(out, out, bar=False), start=root)
    return code, out.getvalue()
