"""`interform plan` and `interform show` on real projects in temporary directories, through
the real config loader and provider adapters (no network: plain plans never need it)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from interform.lockfile.store import read_lockfile
from interform.output.jsonout import plan_json_schema
from interform.plan.saved import load_saved
from interform.plan.signing import plan_key
from interform.workspace import SANDBOX_LOCKFILE, build_plan, open_workspace, request_problems

from .projects import FRONTEND, PROJECT, applied, make_project, run


def test_first_plan_creates_everything(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = run(root, "plan")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Plan: 4 to create, 0 to update, 0 to replace, 0 to delete.\n")
    assert "\033[" not in result.output  # not a terminal: no colour
    assert run(root, "plan", "--detailed-exitcode").exit_code == 2


def test_json_output_is_valid_against_its_schema(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    setups: list[Callable[[], object]] = [
        lambda: None,
        lambda: applied(root),
        lambda: _edit_backend(root),
    ]
    for setup in setups:
        setup()
        result = run(root, "plan", "--json")
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        jsonschema.Draft202012Validator(plan_json_schema()).validate(document)
        assert document["format_version"] == "1"


def _edit_backend(root: Path) -> None:
    path = root / "interviews" / "eng" / "backend.yaml"
    text = path.read_text().replace("How do you review a pull request?", "How do you review code?")
    path.write_text(text.replace("title: Backend engineer", "title: Senior backend engineer"))


def test_after_apply_there_is_nothing_to_do(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    applied(root)
    result = run(root, "plan", "--detailed-exitcode")
    assert result.exit_code == 0
    assert result.output == "No changes. Your interviews match the lockfile.\n"


def test_edits_show_field_and_question_diffs(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    applied(root)
    _edit_backend(root)
    result = run(root, "plan", "--detailed-exitcode")
    assert result.exit_code == 2
    assert '~ interview_name: "Backend engineer" → "Senior backend engineer"' in result.output
    assert "How do you review [-a pull request-]{+code+}?" in result.output
    assert result.output.endswith("Plan: 0 to create, 2 to update, 0 to replace, 0 to delete.\n")


def test_removing_a_protected_definition_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path, protect=True)
    applied(root)
    (root / "interviews" / "eng" / "backend.yaml").unlink()
    result = run(root, "plan")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()  # every problem at once: threshold and protection
    assert len(lines) == 4 and "safety.max_deletes is 2" in lines[0]
    assert lines[0].startswith("interform.yaml:8:16: ")  # at the threshold in interform.yaml
    # the refused plan is shown whole on stdout, saying it is refused
    assert "  - eng/backend@micro1  (micro1 interview: delete)" in result.stdout
    assert "Refused: nothing of this plan will be applied, because" in result.stdout
    assert result.stdout.endswith("Plan: 0 to create, 0 to update, 0 to replace, 3 to delete.\n")
    forced = run(root, "plan", "--force")  # --force never overrides protect
    assert forced.exit_code == 1
    lines = forced.stderr.splitlines()
    assert len(lines) == 3  # the agent, its session and the micro1 interview
    assert all(line.startswith("interviews/eng/backend.yaml: eng/backend@") for line in lines)
    assert all("is protected and would be removed" in line for line in lines)
    assert all("set `protect: false`" in line for line in lines)


def test_thresholds_and_force(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    applied(root)
    (root / "interviews" / "eng" / "backend.yaml").unlink()
    refusal = (
        "interform.yaml:8:16: the plan would remove 3 objects; safety.max_deletes is 2 — "
        "review the plan, then run it again with --force (or raise safety.max_deletes)\n"
    )
    out = tmp_path / "refused.out"
    for fmt in ((), ("--markdown",), ("--json",)):
        result = run(root, "plan", "--detailed-exitcode", "--out", str(out), *fmt)
        assert (result.exit_code, result.stderr) == (1, refusal)
        assert not out.exists()  # a refused plan is never saved
        if fmt == ("--json",):
            document = json.loads(result.stdout)
            assert document["summary"]["delete"] == 3
            assert document["refused"] == [refusal.rstrip("\n")]
        else:  # the plan as the review would see it, every removed object listed
            assert "eng/backend@micro1" in result.stdout and "eng/backend@iv#smoke" in result.stdout
            assert "Refused: nothing of this plan will be applied, because" in result.stdout
            assert "safety.max_deletes is 2" in result.stdout
    markdown = run(root, "plan", "--markdown").stdout
    assert markdown.startswith("### interform plan\n\n> [!CAUTION]\n")
    forced = run(root, "plan", "--force")
    assert forced.exit_code == 0
    assert "0 to replace, 3 to delete." in forced.output


def test_saved_plan_round_trip_and_tamper_check(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    out = tmp_path / "plan.out"
    text = run(root, "plan", "--out", str(out)).stdout
    assert load_saved(out, plan_key(root)).definition_digests.keys() == {
        "interform.yaml",
        "interviews/eng/backend.yaml",
        "interviews/eng/frontend.yaml",
    }
    assert run(root, "show", str(out)).stdout == text
    shown = json.loads(run(root, "show", "--json", str(out)).stdout)
    assert shown == json.loads(run(root, "plan", "--json").stdout)
    assert run(root, "show", "--markdown", str(out)).stdout.startswith("### interform plan")
    out.write_text(out.read_text().replace('"create"', '"delete"', 1))
    tampered = run(root, "show", str(out))
    assert tampered.exit_code == 1 and "modified after it was written" in tampered.output
    assert oct((root / ".interform" / "plan.key").stat().st_mode & 0o777) == "0o600"


def test_sandbox_plans_against_its_own_lockfile(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    applied(root, lockfile=root / SANDBOX_LOCKFILE)
    assert "No changes." in run(root, "plan", "--sandbox").output
    assert "No changes." in run(root, "plan", env={"INTERFORM_SANDBOX": "1"}).output
    assert "4 to create" in run(root, "plan").output
    assert not (root / "interform.lock").exists()


def test_target_and_exclude(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = run(root, "plan", "--json", "--target", "eng/*", "--exclude", "*@iv#smoke")
    addresses = [c["address"] for c in json.loads(result.stdout)["changes"]]
    assert addresses == ["eng/backend@iv", "eng/backend@micro1", "eng/frontend@micro1"]
    result = run(root, "plan", "--json", "--target", "eng/backend@iv#smoke")
    addresses = [c["address"] for c in json.loads(result.stdout)["changes"]]
    assert addresses == ["eng/backend@iv", "eng/backend@iv#smoke"]  # its agent comes along


def test_json_and_markdown_exclude_each_other(tmp_path: Path) -> None:
    result = run(make_project(tmp_path), "plan", "--json", "--markdown")
    assert result.exit_code == 1 and "choose one of --json and --markdown" in result.output


def test_format_names_each_output_and_the_flags_are_its_aliases(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    for fmt, alias in (("json", "--json"), ("markdown", "--markdown"), ("text", None)):
        chosen = run(root, "plan", "--format", fmt)
        assert chosen.exit_code == 0, chosen.output
        if alias is not None:
            assert run(root, "plan", alias).stdout == chosen.stdout
            assert run(root, "plan", "--format", fmt, alias).stdout == chosen.stdout
    assert json.loads(run(root, "plan", "--format", "json").stdout)["changes"]
    assert run(root, "plan", "--format", "text").stdout == run(root, "plan").stdout
    clash = run(root, "plan", "--format", "text", "--json")
    assert clash.exit_code == 1 and "--json means --format json: choose one format" in clash.output


def test_broken_lockfile_is_reported_and_left_alone(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "interform.lock").write_text('{"version": 2,\n  "lineage": }\n')
    before = (root / "interform.lock").read_bytes()
    result = run(root, "plan")
    assert result.exit_code == 1
    assert result.output.startswith(f"{root / 'interform.lock'}:2:14: not valid JSON")
    assert (root / "interform.lock").read_bytes() == before


def test_rejected_request_points_at_the_yaml_line(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    ws = open_workspace(root)
    plan = build_plan(ws)
    micro1 = next(c for c in plan.changes if c.address == "eng/backend@micro1")
    assert micro1.desired is not None
    body = dict(micro1.desired.body)
    body["custom_question_list"] = [dict(q) for q in body["custom_question_list"]]
    body["custom_question_list"][0]["time"] = 9  # what no definition can say: 9 minutes
    micro1.desired = replace(micro1.desired, body=body, digest="")
    (problem,) = request_problems(plan.changes, ws)
    assert (problem.path, problem.line) == ("interviews/eng/backend.yaml", 8)  # answer_time
    assert "/custom_question_list/0/time" in problem.message


def test_no_project_is_a_user_error(tmp_path: Path) -> None:
    result = run(tmp_path, "plan")
    assert result.exit_code == 1 and "no interform.yaml" in result.output


@pytest.mark.parametrize("fmt", [[], ["--json"], ["--markdown"]])
def test_plan_output_is_deterministic(tmp_path: Path, fmt: list[str]) -> None:
    root = make_project(tmp_path)
    assert run(root, "plan", *fmt).stdout == run(root, "plan", *fmt).stdout


def test_lockfile_written_by_simulated_apply_reads_back(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    applied(root)
    lock = read_lockfile(root / "interform.lock")
    assert lock is not None and len(lock.entries) == 4


def test_json_stdout_stays_pure_when_saving(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = run(root, "plan", "--json", "--out", str(tmp_path / "plan.out"))
    assert json.loads(result.stdout)["summary"]["create"] == 4
    assert "Saved the plan to" in result.stderr


def test_a_journal_left_by_an_interrupted_apply_is_taken_into_account(tmp_path: Path) -> None:
    from interform.lockfile.journal import Journal
    from interform.lockfile.model import Entry, Pending
    from interform.lockfile.store import journal_path

    root = make_project(tmp_path)
    applied(root)
    (root / "interviews" / "eng" / "new.yaml").write_text(FRONTEND.replace("Frontend", "New"))
    lockfile = root / "interform.lock"
    lock = read_lockfile(lockfile)
    assert lock is not None
    journal = Journal(journal_path(lockfile), lock)
    op = Pending(op="create", started_at="2026-11-23T09:00:00Z")
    journal.intent(
        "eng/new@micro1",
        Entry(
            interview="eng/new", target="micro1", provider="micro1", kind="interview", pending=[op]
        ),
    )
    journal.close()
    before = lockfile.read_bytes()
    result = run(root, "plan", "--json")
    document = json.loads(result.stdout)
    (change,) = document["changes"]
    assert change["action"] == "blocked"
    assert change["import_command"] == f"interform -C {root} import eng/new@micro1 REMOTE_ID"
    assert any("interrupted apply left a journal" in w for w in document["warnings"])
    assert lockfile.read_bytes() == before  # plan never writes


def test_objects_on_a_removed_target_are_blocked_not_silently_kept(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    applied(root)
    (root / "interform.yaml").write_text(PROJECT.replace("  iv:\n    provider: instaview\n", ""))
    backend = root / "interviews" / "eng" / "backend.yaml"
    text = backend.read_text().replace("[micro1, iv]", "[micro1]")
    backend.write_text(text.split("instaview:")[0])
    document = json.loads(run(root, "plan", "--json").stdout)
    actions = {c["address"]: c["action"] for c in document["changes"]}
    assert actions == {"eng/backend@iv": "blocked", "eng/backend@iv#smoke": "blocked"}
    assert "target iv is no longer in interform.yaml" in document["changes"][0]["reason"]


def test_markdown_stays_under_the_limit_and_says_where_the_whole_plan_is(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    whole = run(root, "plan", "--markdown", "--limit", "0").stdout
    assert whole.count("<details>") == 2 and "too long" not in whole
    url = "https://github.com/o/r/actions/runs/1"
    short = run(root, "plan", "--markdown", "--limit", "1200", "--full-plan-at", url)
    assert short.exit_code == 0 and len(short.stdout) <= 1200 < len(whole)
    assert f"the whole plan: {url}." in short.stdout
    assert "**Plan: 4 to create, 0 to update, 0 to replace, 0 to delete.**" in short.stdout
    assert "`eng/backend@iv#smoke` create: candidateId, isTest" in short.stdout
    by_env = run(root, "plan", "--markdown", "--limit", "1200", env={"INTERFORM_FULL_PLAN_AT": url})
    assert by_env.stdout == short.stdout
    out = tmp_path / "plan.out"
    run(root, "plan", "--out", str(out))
    assert run(root, "show", "--markdown", "--limit", "0", str(out)).stdout == whole
