"""Golden cases: `tests/testdata/<case>/` (format in tests/testdata/README.md).

`outputs(case)` computes what the plan of a case renders to; the test compares it with
the files kept beside the inputs. `UPDATE_GOLDEN=1` rewrites them instead.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interform.errors import PlanRefused
from interform.lockfile.model import Lockfile
from interform.lockfile.store import read_lockfile
from interform.model.identity import Identity
from interform.model.project import Safety
from interform.output.jsonout import render_json
from interform.output.markdown import render_markdown
from interform.output.text import render_text
from interform.plan.model import Plan
from interform.plan.planner import make_plan
from interform.plan.safety import refuse_unsafe
from interform.providers.base import DesiredResource, Found, RemoteState, Removal

from .kinds import SPECS

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
OUTPUTS = ("plan.txt", "plan.json", "plan.md")


@dataclass
class Case:
    name: str
    path: Path
    desired: list[DesiredResource]
    lock: Lockfile | None
    options: dict[str, Any] = field(default_factory=dict)


def case_names() -> list[str]:
    return sorted(p.parent.name for p in TESTDATA.glob("*/desired.json"))


def load_case(name: str) -> Case:
    path = TESTDATA / name
    desired = [desired_resource(d) for d in json.loads((path / "desired.json").read_text())]
    options_file = path / "options.json"
    options = json.loads(options_file.read_text()) if options_file.exists() else {}
    return Case(name, path, desired, read_lockfile(path / "interform.lock"), options)


def desired_resource(data: dict[str, Any]) -> DesiredResource:
    """A resource of a case's desired.json: its identity read from its address, provider
    and kind (a session's parent is its definition's resource)."""
    identity = Identity.at(data["address"], data["provider"], data["kind"])
    values = {k: v for k, v in data.items() if k not in ("address", "provider", "kind")}
    values["identity"] = identity
    values.setdefault("source", f"interviews/{identity.interview}.yaml")
    if values.get("removal"):
        values["removal"] = Removal(values["removal"])
    values["notes"] = tuple(values.get("notes", ()))
    values["ignore"] = tuple(values.get("ignore", ()))
    return DesiredResource(**values)


def plan_case(case: Case) -> Plan:
    opts = case.options
    remote = opts.get("remote")
    plan = make_plan(
        case.desired,
        case.lock,
        specs=SPECS,
        remote=None if remote is None else {a: _state(s) for a, s in remote.items()},
        resolved={a: Found(**f) for a, f in opts.get("resolved", {}).items()},
        moves=opts.get("moves", {}),
        select_patterns=opts.get("target", ()),
        exclude=opts.get("exclude", ()),
        replace=opts.get("replace", ()),
    )
    plan.sandbox = bool(opts.get("sandbox"))
    return plan


def _state(data: dict[str, Any] | None) -> RemoteState | None:
    return None if data is None else RemoteState(**data)


def outputs(case: Case) -> dict[str, str]:
    """What the case renders to: the three formats, and the refusal if it is refused."""
    plan = plan_case(case)
    managed = len(case.lock.entries) if case.lock else 0
    safety = Safety(**case.options.get("safety", {}))
    refused: dict[str, str] = {}
    try:
        refuse_unsafe(plan, safety, managed, force=bool(case.options.get("force")))
    except PlanRefused as err:  # shown whole all the same, with the refusal
        refused = {"error.txt": "\n".join(err.lines()) + "\n"}
    return {
        "plan.txt": render_text(plan),
        "plan.json": render_json(plan),
        "plan.md": render_markdown(plan),
        **refused,
    }


def compare(case: Case, actual: dict[str, str]) -> list[str]:
    """Names of golden files that differ (rewritten when UPDATE_GOLDEN=1)."""
    differing = []
    for name in (*OUTPUTS, "error.txt"):
        golden = case.path / name
        if name not in actual:
            if golden.exists() and UPDATE:
                golden.unlink()
            elif golden.exists():
                differing.append(f"{name} exists but the case produced no {name}")
            continue
        if UPDATE:
            golden.write_text(actual[name], encoding="utf-8")
        elif not golden.exists() or golden.read_text(encoding="utf-8") != actual[name]:
            differing.append(name)
    return differing
