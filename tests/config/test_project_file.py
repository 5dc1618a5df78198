"""interform.yaml: targets, credentials kept out, defaults validated where they are written."""

from __future__ import annotations

from pathlib import Path

import pytest

from interform.config import load_project
from interform.config.variables import looks_like_secret
from interform.errors import UserError
from interform.model.project import Project

from .config_helpers import make_project, problems, run

SECRET = "m1_live_4f8a2b9c7d1e6f3a5b8c"


def test_a_full_project_file_loads(tmp_path: Path) -> None:
    (tmp_path / "interform.yaml").write_text(
        "project: acme-hiring\n"
        "lockfile: state/interform.lock\n"
        "interviews: defs\n"
        "targets:\n"
        "  eu:\n"
        "    provider: instaview\n"
        "    credential_env: INSTAVIEW_EU_KEY\n"
        "    base_url: http://127.0.0.1:8080/instaview\n"
        "    rate_limit: {per_minute: 30}\n"
        "    concurrency: 2\n"
        "    timeout: 10\n"
        "safety: {max_deletes: 0}\n"
        "moves: {team/old: team/new}\n"
    )
    project = load_project(tmp_path)
    assert isinstance(project, Project)
    target = project.targets["eu"]
    assert target.credential_variable() == "INSTAVIEW_EU_KEY"
    assert (target.timeout, target.concurrency) == (10.0, 2)
    assert project.moves == {"team/old": "team/new"}
    assert (project.lockfile, project.interviews) == ("state/interform.lock", "defs")


def test_credential_env_defaults_per_provider(tmp_path: Path) -> None:
    make_project(tmp_path, {})
    project = load_project(tmp_path)
    assert {n: t.credential_variable() for n, t in project.targets.items()} == {
        "micro1": "MICRO1_API_KEY",
        "jobmojito": "JOBMOJITO_TOKEN",
        "instaview": "INSTAVIEW_API_KEY",
        "versive": "VERSIVE_API_KEY",
    }


@pytest.mark.parametrize("key", ["api_key", "apiKey", "token", "secret", "password", "key"])
def test_a_credential_in_the_file_is_an_error_that_never_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    (tmp_path / "interform.yaml").write_text(
        f"targets:\n  prod:\n    provider: micro1\n    {key}: {SECRET}\n    timeout: {SECRET}\n"
    )
    (tmp_path / "interviews").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"interform.yaml:4:5: targets.prod.{key}: credentials must not be written in "
        "interform.yaml (it is committed to git) — remove it and set the environment variable "
        "MICRO1_API_KEY instead (or name another one with credential_env:)",
        "interform.yaml:5:14: targets.prod.timeout must be a number — remove the quotes",
    ]
    assert SECRET not in result.output


@pytest.mark.parametrize(
    ("value", "secret"),
    [
        ("MICRO1_API_KEY", False),
        ("JOBMOJITO_TOKEN_EU", False),
        ("my_token", False),
        ("micro1_key", False),
        ("sk-live-abc", True),
        ("eyJhbGciOiJIUzI1NiJ9.e30.sig", True),
        ("iv_9f86d081884c7d659a2feaa0c55ad015", True),
        ("AKIA4F8A2B9C7D1E6F3A", True),
        ("AbC123xyz", True),
        ("9f86d081884c7d659a2f", True),
    ],
)
def test_what_looks_like_a_secret(value: str, secret: bool) -> None:
    assert looks_like_secret(value) is secret


def test_defaults_are_a_partial_definition_checked_in_place(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {},
        project=(
            "targets:\n  m1:\n    provider: micro1\n"
            "defaults:\n"
            "  langauge: en\n"
            "  questions:\n"
            "    - answer_time: 2m\n"
            "  micro1:\n"
            "    selected_coding_language: pyhton\n"
        ),
    )
    assert problems(tmp_path) == [
        'interform.yaml:5:3: unknown key "langauge" in defaults — did you mean "language"?',
        'interform.yaml:7:7: defaults.questions[0].text is required — add "text:"',
        "interform.yaml:9:31: defaults.micro1.selected_coding_language must be one of: "
        "user_choice, javascript, cpp, c, csharp, go, java, kotlin, php, python, ruby, rust, "
        'swift, typescript — got "pyhton"; did you mean "python"?',
    ]


def test_defaults_merge_under_definitions_and_lists_are_replaced(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "interviews/a.yaml": "title: A\ntargets: [m1]\nskills: [{name: Go}]\n"
            "micro1: {only_coding_round: true}\n",
            "interviews/b.yaml": "title: B\ntargets: [m1]\nlanguage: de\n",
        },
        project=(
            "targets:\n  m1:\n    provider: micro1\n"
            "defaults:\n"
            "  language: fr\n"
            "  skills: [{name: Python}, {name: SQL}]\n"
            "  micro1: {selected_coding_language: go}\n"
        ),
    )
    from .config_helpers import load

    a, b = (d.definition for d in load(tmp_path))
    assert a.language == "fr" and b.language == "de"
    assert [s.name for s in a.skills] == ["Go"]
    assert [s.name for s in b.skills] == ["Python", "SQL"]
    assert a.micro1 is not None and a.micro1.only_coding_round
    assert a.micro1.selected_coding_language == "go"


def test_missing_project_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        load_project(tmp_path)
    assert caught.value.lines() == [
        "interform.yaml:1:1: cannot read: No such file or directory — check the file"
    ]


def test_project_problems_are_all_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "interform.yaml").write_text(
        "targets:\n  a:\n    provider: micro\n  b:\n    provider: versive\n    concurrency: 0\n"
        "safety:\n  max_deletes_percent: 120\nprojectt: x\n"
    )
    with pytest.raises(UserError) as caught:
        load_project(tmp_path)
    assert caught.value.lines() == [
        "interform.yaml:3:15: targets.a.provider must be one of: micro1, jobmojito, instaview, "
        "versive — use one of them",
        "interform.yaml:6:18: targets.b.concurrency must be at least 1 — correct the value",
        "interform.yaml:8:24: safety.max_deletes_percent must be at most 100 — correct the value",
        'interform.yaml:9:1: unknown key "projectt" — did you mean "project"?',
    ]
