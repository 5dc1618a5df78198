"""The demo project's definitions most CLI tests start from, and writing a project to a
directory. Kept as YAML text, as users write it: tests change one field by replacing a
phrase, and errors point at real lines."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner, Result

from interform.cli import main

FRONTEND = """\
title: Frontend engineer
targets: [micro1]
questions:
  - text: Which browser bug cost you the most time?
"""

# an Instaview session whose test candidate is created inline
SMOKE_SESSION = """\
  sessions:
    - name: smoke
      is_test: true
      candidate:
        first_name: Test
        last_name: Recruiter
        email: recruiting+smoke@example.com
        gdpr_expiry_date: 2030-12-31
"""

INLINE_JOB = """\
  job:
    title: Backend engineer
    description: Payments platform team.
"""


def backend(instaview: str, *, protect: bool = False) -> str:
    """The backend interview on micro1 and Instaview, with `instaview` as the body of its
    `instaview:` section."""
    return f"""\
title: Backend engineer
description: Screening for backend engineers.
targets: [micro1, iv]
protect: {str(protect).lower()}
questions:
  - id: incident
    text: Tell us about a production incident you handled.
    answer_time: 2m
  - id: review
    text: How do you review a pull request?
skills:
  - name: Python
instaview:
{instaview}"""


BACKEND = backend(INLINE_JOB + SMOKE_SESSION)

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


# a JobMojito interview (its target needs defaults.jobmojito.interview_template_id)
SUPPORT = """\
title: Support specialist
description: Screening for support specialists.
targets: [jm]
questions:
  - id: angry
    text: A customer was charged twice. What is your first reply?
    answer_time: 2m
  - id: refund
    text: Have you ever had to refuse a refund?
jobmojito:
  interview_type: pre-screening
  seniority_level: intermediate
"""
JOBMOJITO_DEFAULTS = """\
defaults:
  language: en
  jobmojito:
    interview_template_id: 46b98d37-1557-4391-beca-03037ead19f2
"""


# one target on each platform, all in the sandbox
FOUR_TARGETS = (
    """\
project: demo
targets:
  micro1:
    provider: micro1
  jm:
    provider: jobmojito
  iv:
    provider: instaview
  vs:
    provider: versive
"""
    + JOBMOJITO_DEFAULTS
)


def write_project(root: Path, project: str, definitions: Mapping[str, str]) -> Path:
    """`interform.yaml` and one file per definition address (an empty text: none)."""
    write_file(root, "interform.yaml", project)
    for address, text in definitions.items():
        write_definition(root, address, text)
    return root


def write_definition(root: Path, address: str, text: str) -> None:
    """Write (or, with an empty text, delete) the definition file of `address`."""
    if text:
        write_file(root, f"interviews/{address}.yaml", text)
    else:
        (root / "interviews" / f"{address}.yaml").unlink(missing_ok=True)


def write_file(root: Path, relpath: str, text: str) -> None:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def run(
    root: Path, *args: str, env: dict[str, str] | None = None, input: str | None = None
) -> Result:
    """The CLI in-process on the project at `root`; exceptions propagate."""
    return CliRunner().invoke(
        main, ["-C", str(root), *args], env=env, input=input, catch_exceptions=False
    )
