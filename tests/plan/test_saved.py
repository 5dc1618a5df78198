"""Saved plans: lossless, tamper-evident, and refused with exact reasons once stale."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from interform.errors import UserError
from interform.lockfile.model import Entry, Lockfile
from interform.lockfile.store import lockfile_digest
from interform.plan.codec import change_from_data, change_to_data
from interform.plan.model import Plan
from interform.plan.saved import (
    PlanInputs,
    dumps_saved,
    load_saved,
    save_plan,
    stale_reasons,
    unfaithful_reasons,
)
from interform.plan.signing import sign

from .golden import TESTDATA, UPDATE, desired_resource, load_case, plan_case

KEY = b"test-plan-key-0123456789abcdef"

DEFINITIONS = {
    "interform.yaml": "sha256:p",
    "interviews/engineering/backend.yaml": "sha256:b",
    "interviews/engineering/frontend.yaml": "sha256:f",
    "interviews/sales/account-exec.yaml": "sha256:s",
}


def saved_update_case(tmp_path: Path) -> tuple[Plan, Lockfile]:
    case = load_case("update")
    case.desired.append(
        desired_resource(
            {
                "address": "engineering/new-role@micro1",
                "provider": "micro1",
                "kind": "interview",
                "body": {"interview_name": "New role"},
            }
        )
    )
    plan = plan_case(case)
    plan.definition_digests = dict(DEFINITIONS)
    save_plan(tmp_path / "plan.out", plan, case.lock, KEY)
    assert case.lock is not None
    return load_saved(tmp_path / "plan.out", KEY), case.lock


def _bump(lock: Lockfile) -> Lockfile:
    """Another write: an entry the plan does not touch was added (a concurrent apply)."""
    entry = Entry(
        interview="other/thing", target="micro1", provider="micro1", kind="interview", remote_id="o"
    )
    return lock.model_copy(update={"entries": {**lock.entries, "other/thing@micro1": entry}})


def _entry(lock: Lockfile, address: str, **changes: object) -> Lockfile:
    entries = dict(lock.entries)
    entries[address] = entries[address].model_copy(update=changes)
    return lock.model_copy(update={"entries": entries})


def _without(lock: Lockfile, address: str) -> Lockfile:
    entries = {a: e for a, e in lock.entries.items() if a != address}
    return lock.model_copy(update={"entries": entries})


def _with_new_role(lock: Lockfile) -> Lockfile:
    entry = Entry(
        interview="engineering/new-role",
        target="micro1",
        provider="micro1",
        kind="interview",
        remote_id="x",
    )
    return lock.model_copy(
        update={"entries": {**lock.entries, "engineering/new-role@micro1": entry}}
    )


def _files(**changes: str | None) -> dict[str, str]:
    files = dict(DEFINITIONS)
    for name, digest in changes.items():
        path = name.replace("__", "/").replace("_", "-") + ".yaml"
        if digest is None:
            files.pop(path)
        else:
            files[path] = digest
    return files


Mutation = Callable[[Lockfile], PlanInputs]

MUTATIONS: dict[str, Mutation] = {
    "nothing moved": lambda lock: PlanInputs(lock, DEFINITIONS),
    "lockfile written since": lambda lock: PlanInputs(_bump(lock), DEFINITIONS),
    "another lockfile": lambda lock: PlanInputs(
        lock.model_copy(update={"lineage": "00000000-0000-4000-8000-000000000000"}), DEFINITIONS
    ),
    "lockfile deleted": lambda lock: PlanInputs(None, DEFINITIONS),
    "definition edited": lambda lock: PlanInputs(
        lock, _files(interviews__engineering__backend="sha256:b2")
    ),
    "definition deleted": lambda lock: PlanInputs(
        lock, _files(interviews__engineering__frontend=None)
    ),
    "definition added": lambda lock: PlanInputs(lock, _files(interviews__sales__sdr="sha256:n")),
    "project file edited": lambda lock: PlanInputs(lock, {**DEFINITIONS, "interform.yaml": "x"}),
    "entry changed": lambda lock: PlanInputs(
        _entry(lock, "engineering/backend@micro1", remote_id="other"), DEFINITIONS
    ),
    "entry removed": lambda lock: PlanInputs(
        _without(lock, "sales/account-exec@jobmojito"), DEFINITIONS
    ),
    "entry added": lambda lock: PlanInputs(_with_new_role(lock), DEFINITIONS),
    "another interform": lambda lock: PlanInputs(lock, DEFINITIONS, interform_version="9.9.9"),
}


def test_stale_reasons_name_each_input_that_moved(tmp_path: Path) -> None:
    saved, lock = saved_update_case(tmp_path)
    report = []
    for name, mutate in MUTATIONS.items():
        reasons = stale_reasons(saved, mutate(lock))
        report += [f"## {name}", *(reasons or ["(fresh)"]), ""]
    actual = "\n".join(report)
    golden = TESTDATA / "stale" / "reasons.txt"
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_fresh_plan_has_no_stale_reasons(tmp_path: Path) -> None:
    saved, lock = saved_update_case(tmp_path)
    assert stale_reasons(saved, PlanInputs(lock, DEFINITIONS)) == []
    assert stale_reasons(saved, PlanInputs(_bump(lock), DEFINITIONS)) != []


def test_saved_plan_keeps_every_change_exactly(tmp_path: Path) -> None:
    for case_dir in sorted(TESTDATA.glob("*/desired.json")):
        case = load_case(case_dir.parent.name)
        plan = plan_case(case)
        save_plan(tmp_path / "p.out", plan, case.lock, KEY)
        loaded = load_saved(tmp_path / "p.out", KEY)
        assert loaded.changes == plan.changes, case_dir.parent.name
        assert (loaded.lineage, loaded.lockfile_digest, loaded.unchanged) == (
            plan.lineage,
            lockfile_digest(case.lock),
            plan.unchanged,
        )
        assert loaded.entry_digests == plan.entry_digests
        for change in plan.changes:
            assert change_from_data(json.loads(json.dumps(change_to_data(change)))) == change


def test_tampered_plan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.out"
    saved_update_case(tmp_path)
    document = json.loads(path.read_text())
    document["plan"]["changes"][0]["action"] = "delete"
    path.write_text(json.dumps(document))
    with pytest.raises(UserError, match="modified after it was written"):
        load_saved(path, KEY)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"kind": "something-else"}', "not an interform saved plan"),
        ('{"kind": "interform-saved-plan", "format_version": 99}', "format 99 is newer"),
        # format 1 named the lockfile by its write counter, which lockfiles no longer keep
        ('{"kind": "interform-saved-plan", "format_version": 1}', "format 1 is older"),
    ],
)
def test_files_that_are_not_saved_plans(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "plan.out"
    path.write_text(content)
    with pytest.raises(UserError, match=message):
        load_saved(path, KEY)


def test_missing_saved_plan(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such saved plan"):
        load_saved(tmp_path / "nope.out", KEY)


def test_saved_text_is_deterministic(tmp_path: Path) -> None:
    plan = plan_case(load_case("questions"))
    assert dumps_saved(plan, KEY) == dumps_saved(plan, KEY)
    assert json.loads(dumps_saved(plan, KEY))["mac"].startswith("hmac-sha256:")


def test_a_plan_re_digested_after_an_edit_is_refused(tmp_path: Path) -> None:
    """A plain digest can be recomputed by whoever edits the file; the MAC cannot
    without the key."""
    path = tmp_path / "plan.out"
    saved_update_case(tmp_path)
    document = json.loads(path.read_text())
    document["plan"]["changes"][0]["desired"]["body"]["interview_name"] = "INJECTED"
    forged = {k: v for k, v in document.items() if k != "mac"}
    document["mac"] = sign(b"someone-else's-key-0123456789", forged)
    path.write_text(json.dumps(document))
    with pytest.raises(UserError, match="signed with another key"):
        load_saved(path, KEY)


def test_a_plan_cannot_be_checked_without_a_key(tmp_path: Path) -> None:
    saved_update_case(tmp_path)
    with pytest.raises(UserError, match="there is no plan key"):
        load_saved(tmp_path / "plan.out", None)


def test_an_unsigned_plan_of_the_previous_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.out"
    path.write_text('{"kind": "interform-saved-plan", "format_version": 1, "digest": "x"}')
    with pytest.raises(UserError, match="without a signature"):
        load_saved(path, KEY)


def test_a_request_that_is_not_what_the_definition_gives_is_named(tmp_path: Path) -> None:
    saved, _ = saved_update_case(tmp_path)
    desired = [c.desired for c in saved.changes if c.desired is not None]
    assert unfaithful_reasons(saved, desired) == []
    first = desired[0]
    edited = dataclasses.replace(first, body={**first.body, "interview_name": "INJECTED"})
    reasons = unfaithful_reasons(saved, [edited, *desired[1:]])
    assert reasons == [f"{first.address}: its request is not what its definition gives"]
