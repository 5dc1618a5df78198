"""The lazy-import policy (docs/architecture.md, "Speed"): a no-change plan, run as the
`interform` command in a fresh process, never imports httpx, jsonschema, multiprocessing
or the emulators; they load only where a command talks to a platform or checks a body.
Nor does it load the apply journal's code (no apply was interrupted), the compiler of
request-schema checks (no body to check), the rules of a platform no definition
targets (the project targets micro1 and Instaview), the field and value diffs (nothing
changed) or the code that words and positions problems (there is none)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from interform.lockfile.store import journal_path
from interform.workspace import open_workspace

from .projects import applied, make_project

HEAVY = ("httpx", "jsonschema", "multiprocessing", "interform.sandbox")
UNNEEDED = (
    "interform.lockfile.journal",
    "interform.providers.validity",
    "interform.providers.jobmojito.validation",
    "interform.providers.versive.validation",
)
# only for a plan with a change to diff and show
DIFFS = (
    "interform.plan.fields",
    "interform.plan.questions",
    "interform.plan.values",
    "interform.plan.words",
    "interform.output.values",
)
# only for a project with a problem to word and position
PROBLEMS = ("interform.config.schema_errors", "interform.config.positions")

# the CLI's own entry point; what it imported is written to stderr when it exits
RUN = f"""
import sys
from interform.cli import main
try:
    main()
finally:
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r}
                   or m.startswith("interform.sandbox") or m in {(*UNNEEDED, *DIFFS, *PROBLEMS)!r})
    print("imported:", ",".join(heavy), file=sys.stderr)
"""


def _imported(root: Path, *args: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], cwd=root, capture_output=True, text=True, check=False
    )
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith("imported:"), done.stderr
    return done.returncode, [m for m in line.removeprefix("imported:").strip().split(",") if m]


def test_a_no_change_plan_imports_no_heavy_library(tmp_path: Path) -> None:
    make_project(tmp_path)
    applied(tmp_path)
    code, heavy = _imported(tmp_path, "plan", "--detailed-exitcode")
    assert code == 0  # no changes
    assert heavy == []


def test_the_check_sees_a_heavy_import_when_one_happens(tmp_path: Path) -> None:
    """The same probe on a plan that reads the platforms (`--sandbox --refresh`: the
    emulators, through httpx): they load then, and the probe sees them. The ids the
    simulated apply recorded are not the emulators' own, so the read-back is refused
    (exit 1) — after the emulators answered, which is all this needs."""
    make_project(tmp_path)
    applied(tmp_path, open_workspace(tmp_path, sandbox=True).lockfile_path)
    code, heavy = _imported(tmp_path, "plan", "--sandbox", "--refresh")
    assert code == 1
    assert "httpx" in heavy
    assert "interform.sandbox.emulator" in heavy


def test_the_journal_code_loads_when_an_apply_left_a_journal(tmp_path: Path) -> None:
    """The same probe on a plan over a lockfile with a leftover journal: the journal's
    code loads then (the plan takes the journal into account)."""
    make_project(tmp_path)
    applied(tmp_path)
    journal = journal_path(open_workspace(tmp_path).lockfile_path)
    journal.write_text("")  # killed before its first record: nothing happened
    code, loaded = _imported(tmp_path, "plan", "--detailed-exitcode")
    assert code == 0
    assert loaded == ["interform.lockfile.journal"]


def test_the_diff_code_loads_when_something_changed(tmp_path: Path) -> None:
    """The same probe on a plan with one edited definition: the field and value diffs
    load then (and the schema checks of the changed body), the problem code does not."""
    make_project(tmp_path)
    applied(tmp_path)
    frontend = tmp_path / "interviews" / "eng" / "frontend.yaml"
    frontend.write_text(frontend.read_text().replace("title: ", "title: Senior ", 1))
    code, loaded = _imported(tmp_path, "plan", "--detailed-exitcode")
    assert code == 2  # changes
    assert loaded == sorted([*DIFFS, "interform.providers.validity"])


def test_the_problem_code_loads_when_a_definition_is_wrong(tmp_path: Path) -> None:
    """The same probe on a definition the schema refuses: the code that words and
    positions the problem loads then."""
    make_project(tmp_path)
    applied(tmp_path)
    frontend = tmp_path / "interviews" / "eng" / "frontend.yaml"
    frontend.write_text(frontend.read_text() + "colour: blue\n")
    code, loaded = _imported(tmp_path, "plan")
    assert code == 1
    assert loaded == sorted(PROBLEMS)
