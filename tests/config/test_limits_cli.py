"""Platform limits checked by `interform validate` (and so by every command that loads
the definitions), at the line of the definition: an Instaview session scheduled in the
past, unless the lockfile records it as created with that very time (then the time has
simply passed), and the same refusal from `plan` as from `validate`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from interform.digest import body_digest
from interform.lockfile.store import read_lockfile, write_lockfile
from interform.workspace import SANDBOX_LOCKFILE
from project_files import run, write_definition, write_project

PROJECT = """\
project: limits
targets:
  iv:
    provider: instaview
"""


def screen(when: str) -> str:
    return f"""\
title: Phone screen
targets: [iv]
questions:
  - text: Why this role?
instaview:
  focus: GENERIC
  sessions:
    - name: ada
      schedule_time: {when}
      candidate:
        first_name: Ada
        last_name: Lovelace
        email: ada@example.com
        gdpr_expiry_date: 2030-12-31
"""


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_session_scheduled_in_the_past_is_refused_where_it_is_written(tmp_path: Path) -> None:
    root = write_project(tmp_path, PROJECT, {"screen": screen("2021-03-01T09:00:00Z")})
    expected = (
        "interviews/screen.yaml:9:22: schedule_time is in the past (2021-03-01T09:00:00Z) — "
        "remove schedule_time to start at once, or pick a time within the next 30 days\n"
    )
    for command in (["validate"], ["plan", "--sandbox"]):
        result = run(root, *command)
        assert (result.exit_code, result.stderr) == (1, expected), command


def test_a_past_schedule_the_lockfile_records_as_sent_is_no_problem(tmp_path: Path) -> None:
    """Apply a session scheduled an hour ahead, then let "time pass": the definition and
    the lockfile both say a moment that is now over, as they will the day after."""
    soon = _iso(datetime.now(timezone.utc) + timedelta(hours=1))
    root = write_project(tmp_path, PROJECT, {"screen": screen(soon)})
    applied = run(root, "apply", "--sandbox", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    past = "2021-03-01T09:00:00Z"
    lock_path = root / SANDBOX_LOCKFILE
    lock = read_lockfile(lock_path)
    assert lock is not None
    entry = lock.entries["screen@iv#ada"]
    assert entry.request is not None and entry.request["scheduleTime"] == soon
    entry.request["scheduleTime"] = past
    entry.digest = body_digest(entry.request)
    write_lockfile(lock_path, lock)
    write_definition(root, "screen", screen(past))

    assert run(root, "validate").exit_code == 0
    assert run(root, "plan", "--sandbox", "--detailed-exitcode").exit_code == 0  # no change
    # another time, or another session, would be created now: in the past
    write_definition(root, "screen", screen("2021-03-01T10:00:00Z"))
    refused = run(root, "validate")
    assert refused.exit_code == 1
    assert "schedule_time is in the past (2021-03-01T10:00:00Z)" in refused.stderr


def test_interview_available_till_is_a_real_date_or_time(tmp_path: Path) -> None:
    project = PROJECT.replace(
        "  iv:\n    provider: instaview\n", "  jm:\n    provider: jobmojito\n"
    )
    definition = """\
title: Open until
description: A screen.
targets: [jm]
questions:
  - text: Why this role?
jobmojito:
  interview_template_id: 46b98d37-1557-4391-beca-03037ead19f2
  interview_available_till: WHEN
"""
    for i, when in enumerate(["2026-12-31", "2026-12-31T18:00:00Z", "'2026-12-31 18:00'"]):
        root = write_project(tmp_path / str(i), project, {"a": definition.replace("WHEN", when)})
        assert run(root, "validate").exit_code == 0, when
    bad = definition.replace("WHEN", '"2027-02-29"')
    refused = run(write_project(tmp_path / "bad", project, {"a": bad}), "validate")
    assert refused.stderr == (
        "interviews/a.yaml:8:29: jobmojito.interview_available_till must be a date such as "
        "2026-12-31 or a date and time such as 2026-12-31T18:00:00Z (there is no 2027-02-29) "
        '— got "2027-02-29"\n'
    )
