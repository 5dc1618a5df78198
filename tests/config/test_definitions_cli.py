"""validate, fmt, init and schema through the CLI, with exact output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interform import __version__
from interform.config.fmt import canonical

from .config_helpers import copy_examples, make_project, run


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ----------------------------------------------------------------------------- validate


def test_validate_the_examples(project: Path) -> None:
    copy_examples(project)
    result = run("validate")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "5 definitions valid\n", "")


def test_validate_one_path_from_a_subdirectory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_examples(project)
    monkeypatch.chdir(project / "interviews")
    result = run("validate", "support/customer-support-screen.yaml")
    assert (result.exit_code, result.stdout) == (0, "1 definition valid\n")


def test_validate_reports_every_problem_on_stderr(project: Path) -> None:
    make_project(
        project,
        {
            "interviews/x.yaml": (
                "title: X\n"
                "targets: [micro1]\n"
                "questions:\n"
                "  - text: One\n"
                "  - text: Two\n"
                "  - text: Three\n"
                "    answer_type: vidoe\n"
            ),
            "interviews/y.yaml": "title: Y\ntargets: [micro1]\n"
            "questions: [{text: Q, answer_time: 5}]\n",
        },
    )
    result = run("validate")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "interviews/x.yaml:7:18: questions[2].answer_type must be one of: audio, text — got "
        '"vidoe"\n'
        "interviews/y.yaml:3:36: answer_time is 5s; micro1 (target micro1) allows 1 to 4 minutes"
        " — use 60 to 240 seconds (1m to 4m)\n"
    )


def test_validate_outside_a_project(project: Path) -> None:
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr == (
        f"no interform.yaml in {project.resolve()} or any parent directory — run `interform "
        "init` to create a project, or use -C DIR to point at one\n"
    )


# ----------------------------------------------------------------------------- fmt

MESSY = """\
# yaml-language-server: $schema=../schemas/interview.schema.json
title:   Backend screen    # shown to candidates
targets: [micro1,   jobmojito]
questions:
- id: intro
  text: 'Tell us about yourself.'
    # a comment on its own line
- text: |
        Two
        lines
skills:
    -   name: Python
micro1:
      only_coding_round: false



"""

CANONICAL = """\
# yaml-language-server: $schema=../schemas/interview.schema.json
title: Backend screen      # shown to candidates
targets: [micro1, jobmojito]
questions:
  - id: intro
    text: 'Tell us about yourself.'
    # a comment on its own line
  - text: |
      Two
      lines
skills:
  - name: Python
micro1:
  only_coding_round: false
"""


def test_fmt_rewrites_to_the_canonical_layout(project: Path) -> None:
    make_project(project, {"interviews/a.yaml": MESSY, "interviews/b.yaml": CANONICAL})
    (project / "interform.yaml").write_text(canonical((project / "interform.yaml").read_text()))
    result = run("fmt")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "interviews/a.yaml\n", "")
    assert (project / "interviews/a.yaml").read_text() == CANONICAL
    again = run("fmt")
    assert (again.exit_code, again.stdout) == (0, "")


def test_fmt_is_idempotent() -> None:
    assert canonical(MESSY) == CANONICAL
    assert canonical(CANONICAL) == CANONICAL


def test_fmt_check_lists_files_and_writes_nothing(project: Path) -> None:
    make_project(project, {"interviews/a.yaml": MESSY, "interviews/b.yaml": CANONICAL})
    (project / "interform.yaml").write_text("targets:\n    m1: {provider: micro1}\n")
    result = run("fmt", "--check")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "interform.yaml:2:1: not formatted — run `interform fmt`\n"
        "interviews/a.yaml:2:1: not formatted — run `interform fmt`\n"
    )
    assert (project / "interviews/a.yaml").read_text() == MESSY


def test_fmt_refuses_files_that_do_not_parse(project: Path) -> None:
    broken = "title: X\ntitle: Y\n"
    make_project(project, {"interviews/a.yaml": broken, "interviews/b.yaml": MESSY})
    (project / "interform.yaml").write_text(canonical((project / "interform.yaml").read_text()))
    result = run("fmt")
    assert result.exit_code == 1
    assert result.stdout == "interviews/b.yaml\n"  # the others are still formatted
    assert result.stderr == (
        'interviews/a.yaml:2:1: duplicate key "title" (first defined on line 1) — remove one of '
        "the two\n"
    )
    assert (project / "interviews/a.yaml").read_text() == broken


def test_fmt_paths(project: Path) -> None:
    make_project(project, {"interviews/a.yaml": MESSY, "interviews/b.yaml": MESSY})
    result = run("fmt", "interviews/b.yaml")
    assert (result.exit_code, result.stdout) == (0, "interviews/b.yaml\n")
    assert (project / "interviews/a.yaml").read_text() == MESSY


def test_fmt_keeps_the_file_mode(project: Path) -> None:
    make_project(project, {"interviews/a.yaml": MESSY})
    (project / "interviews/a.yaml").chmod(0o640)
    run("fmt", "interviews/a.yaml")
    assert (project / "interviews/a.yaml").stat().st_mode & 0o777 == 0o640


# ----------------------------------------------------------------------------- init

CREATED = [
    "interform.yaml",
    "interviews/example.yaml",
    "schemas/interview.schema.json",
    "schemas/project.schema.json",
    "schemas/lockfile.schema.json",
]


def test_init_creates_a_project_that_validates(project: Path) -> None:
    result = run("init", "--ci", "github")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:5] == [f"created {rel}" for rel in CREATED]
    assert lines[-7:] == [
        "created .github/workflows/interform.yml",
        "created .github/workflows/interform-comment.yml",
        "created .gitignore",
        "created .gitattributes",
        "not in a git clone: after `git init`, run `interform lockfile setup-git`",
        "set INTERFORM_REPOSITORY in the workflow to the git URL your team installs "
        "interform from: it has no release on PyPI yet",
        "next: edit interviews/example.yaml, then run `interform validate`",
    ]
    assert all(line.startswith("created schemas/") for line in lines[5:-7])
    assert (project / ".gitignore").read_text().splitlines()[-1] == ".interform/"
    assert (project / ".gitattributes").read_text().splitlines()[-1] == (
        "/interform.lock merge=interform"
    )
    text = (project / "interform.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=schemas/project.schema.json\n")
    assert re.search(r"^project: test-init-[a-z0-9-]*-[0-9a-f]{6}$", text, re.M)
    assert f'\nrequired_version: "{__version__}"\n' in text
    assert run("validate").stdout == "1 definition valid\n"
    assert run("fmt", "--check").exit_code == 0
    assert run("schema", "--check").stdout == "schemas up to date\n"


def test_the_workflow_plans_on_pull_requests_and_applies_on_main(project: Path) -> None:
    run("init", "--ci", "github")
    workflow = (project / ".github/workflows/interform.yml").read_text()
    from ruamel.yaml import YAML

    parsed = YAML(typ="safe").load(workflow)
    plan, apply = parsed["jobs"]["plan"], parsed["jobs"]["apply"]
    steps = "\n".join(str(s.get("run", "")) for s in plan["steps"])
    assert "interform validate" in steps
    assert "interform plan --detailed-exitcode --markdown" in steps
    assert apply["concurrency"]["cancel-in-progress"] is False
    runs = "\n".join(str(s.get("run", "")) for s in apply["steps"])
    assert "interform apply --auto-approve" in runs
    commit = next(s for s in apply["steps"] if "git add interform.lock" in str(s.get("run")))
    assert commit["if"] == "always()"
    comment = YAML(typ="safe").load(
        (project / ".github/workflows/interform-comment.yml").read_text()
    )
    script = comment["jobs"]["comment"]["steps"][-1]
    assert "github-script" in script["uses"]


def test_init_without_ci_writes_no_workflow(project: Path) -> None:
    assert run("init").exit_code == 0
    assert not (project / ".github").exists()


def test_init_appends_to_an_existing_gitignore(project: Path) -> None:
    (project / ".gitignore").write_text("*.pyc")
    run("init")
    assert (project / ".gitignore").read_text() == (
        "*.pyc\n# local state of interform: caches, sandbox accounts\n.interform/\n"
    )


def test_init_refuses_to_overwrite_and_writes_nothing(project: Path) -> None:
    # no interform.yaml: a new project, whose files must not exist yet
    (project / "interviews").mkdir()
    (project / "interviews/example.yaml").write_text("mine: true\n")
    (project / "schemas").mkdir()
    (project / "schemas/project.schema.json").write_text("{}")
    result = run("init")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "interviews/example.yaml: already exists — move it away or run init elsewhere\n"
        "schemas/project.schema.json: already exists — move it away or run init elsewhere\n"
    )
    assert (project / "interviews/example.yaml").read_text() == "mine: true\n"
    assert sorted(p.name for p in project.iterdir()) == ["interviews", "schemas"]


# ----------------------------------------------------------------------------- schema


def test_schema_check_names_each_file_that_differs(project: Path) -> None:
    run("init")
    schemas = project / "schemas"
    (schemas / "interview.schema.json").write_text("{}\n")
    (schemas / "lockfile.schema.json").unlink()
    (schemas / "providers" / "retired.request.json").write_text("{}\n")
    result = run("schema", "--check")
    assert result.exit_code == 1
    assert result.stderr == (
        "schemas/interview.schema.json: differs from the generated schema — run `interform "
        "schema`\n"
        "schemas/lockfile.schema.json: missing — run `interform schema`\n"
        "schemas/providers/retired.request.json: no longer generated — run `interform schema`\n"
    )
    fixed = run("schema")
    assert fixed.stdout == (
        "wrote schemas/interview.schema.json\n"
        "wrote schemas/lockfile.schema.json\n"
        "removed schemas/providers/retired.request.json\n"
    )
    assert run("schema", "--check").stdout == "schemas up to date\n"
    assert run("schema").stdout == "schemas up to date\n"
