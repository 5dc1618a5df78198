"""A real project in a temporary directory (micro1, Instaview and Versive targets) and
helpers to run the CLI on it against the in-process sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from interform.cli import main
from interform.lockfile.model import Lockfile
from interform.lockfile.store import read_lockfile
from interform.sandbox import PLATFORMS, state_dir
from interform.workspace import SANDBOX_LOCKFILE

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

BACKEND = """\
title: Backend engineer
description: Screening for backend engineers.
targets: [micro1, iv]
questions:
  - id: incident
    text: Tell us about a production incident you handled.
    answer_time: 2m
  - id: review
    text: How do you review a pull request?
skills:
  - name: Python
instaview:
  job:
    title: Backend engineer
    description: Payments platform team.
  sessions:
    - name: smoke
      is_test: true
      candidate:
        first_name: Test
        last_name: Recruiter
        email: recruiting+smoke@example.com
        gdpr_expiry_date: 2030-12-31
"""

FRONTEND = """\
title: Frontend engineer
targets: [micro1]
questions:
  - text: Which browser bug cost you the most time?
"""

STUDY = """\
title: Onboarding study
description: Conversations with new customers.
targets: [vs]
questions:
  - text: What did you hope to get done when you signed up?
versive:
  study:
    metadata:
      team: research
  participants:
    - name: acme
    - name: fjord
"""


def make_project(root: Path, **files: str) -> Path:
    """The demo project; `files` maps definition addresses to YAML (overrides/additions,
    an empty string deletes)."""
    (root / "interform.yaml").write_text(PROJECT)
    defaults = {"eng/backend": BACKEND, "eng/frontend": FRONTEND, "research/study": STUDY}
    for address, text in {**defaults, **files}.items():
        write_definition(root, address, text)
    return root


def write_definition(root: Path, address: str, text: str) -> None:
    path = root / "interviews" / f"{address}.yaml"
    if not text:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def run(
    root: Path, *args: str, env: dict[str, str] | None = None, input: str | None = None
) -> Result:
    return CliRunner().invoke(
        main, ["-C", str(root), *args], env=env, input=input, catch_exceptions=False
    )


def sandbox_lock(root: Path) -> Lockfile:
    lock = read_lockfile(root / SANDBOX_LOCKFILE)
    assert lock is not None
    return lock


def remote_objects(root: Path) -> dict[tuple[str, str], dict[str, dict[str, Any]]]:
    """What the emulators hold, as a user would see it in each platform's dashboard:
    (platform, account) -> {"<kind>/<id>": object}."""
    found: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for platform in PLATFORMS:
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
