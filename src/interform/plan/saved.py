"""Saved plans (`plan --out FILE`): the reviewed plan, and everything it was made from.

The file records the lockfile's lineage and digest, a digest of every definition file
(and interform.yaml) and of each lockfile entry the plan touches, the interform version,
and a digest of its own content. `stale_reasons` names every input that moved since, so
apply can refuse to carry out a plan that is no longer the one reviewed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interform import __version__, hints
from interform.errors import Problem, UserError, shown
from interform.lockfile.model import Lockfile
from interform.lockfile.store import atomic_write, entry_digest, lockfile_digest
from interform.plan.codec import plan_from_data, plan_to_data
from interform.plan.model import Plan
from interform.providers.base import body_digest
from interform.untrusted import UntrustedInput, load_json_file

# a plan of 10,000 changes is some tens of megabytes
MAX_PLAN_BYTES = 256 * 1024 * 1024

KIND = "interform-saved-plan"
# 2: the lockfile is identified by its digest (1 used its write counter, now gone)
FORMAT_VERSION = 2


@dataclass(frozen=True)
class PlanInputs:
    """What a plan is made from, as it is now."""

    lock: Lockfile | None
    definitions: Mapping[str, str]  # file (relative to the project root) -> sha256
    interform_version: str = __version__


def dumps_saved(plan: Plan) -> str:
    document: dict[str, Any] = {
        "kind": KIND,
        "format_version": FORMAT_VERSION,
        "interform_version": plan.interform_version or __version__,
        "lockfile": {"lineage": plan.lineage, "digest": plan.lockfile_digest},
        "definitions": dict(sorted(plan.definition_digests.items())),
        "entries": dict(sorted(plan.entry_digests.items())),
        "plan": plan_to_data(plan),
    }
    document["digest"] = body_digest(document)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save_plan(path: Path, plan: Plan, lock: Lockfile | None) -> None:
    """Write `plan`, made from `lock`, for a later `interform apply PLANFILE`."""
    plan.lockfile_digest = lockfile_digest(lock)
    atomic_write(path, dumps_saved(plan))


def load_saved(path: Path) -> Plan:
    """The plan saved at `path`, refused when it is not one or was modified."""
    try:
        document = load_json_file(path, MAX_PLAN_BYTES)
    except FileNotFoundError as err:
        raise UserError([_problem(path, "no such saved plan", "check the path")]) from err
    except UntrustedInput as err:
        message = err.message if err.line else f"cannot read the saved plan: {err.message}"
        raise UserError([_problem(path, message, line=err.line, col=err.col)]) from None
    _check_document(document, path)
    try:
        return plan_from_data(
            document["plan"],
            lineage=document["lockfile"]["lineage"],
            lockfile_digest=document["lockfile"]["digest"],
            definition_digests=dict(document["definitions"]),
            entry_digests=dict(document["entries"]),
            interform_version=document["interform_version"],
        )
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise UserError(
            [_problem(path, f"saved plan is malformed ({shown(detail, 200)})")]
        ) from err


def _check_document(document: Any, path: Path) -> None:
    if not isinstance(document, dict) or document.get("kind") != KIND:
        raise UserError([_problem(path, "not an interform saved plan")])
    version = document.get("format_version")
    if not isinstance(version, int) or version != FORMAT_VERSION:
        age = "older" if isinstance(version, int) and version < FORMAT_VERSION else "newer"
        raise UserError(
            [
                _problem(
                    path,
                    f"saved plan format {version!r} is {age} than this interform reads "
                    f"({FORMAT_VERSION})",
                    "use the interform version that made it, or make a new plan",
                )
            ]
        )
    content = {k: v for k, v in document.items() if k != "digest"}
    if document.get("digest") != body_digest(content):
        raise UserError(
            [_problem(path, "the saved plan was modified after it was written (digest mismatch)")]
        )


def _problem(path: Path, message: str, fix: str = "", line: int = 0, col: int = 0) -> Problem:
    fix = fix or f"make a new plan with `{hints.command('plan', '--out', str(path))}`"
    return Problem(str(path), line, col or (1 if line else 0), message, fix)


def stale_reasons(saved: Plan, current: PlanInputs) -> list[str]:
    """Every input that moved since the plan was made; empty when it still holds."""
    return [
        *_version_reasons(saved, current),
        *_lockfile_reasons(saved, current.lock),
        *_definition_reasons(saved.definition_digests, current.definitions),
        *_entry_reasons(saved.entry_digests, current.lock),
    ]


def _version_reasons(saved: Plan, current: PlanInputs) -> list[str]:
    if saved.interform_version == current.interform_version:
        return []
    return [
        f"the plan was made by interform {saved.interform_version}, "
        f"this is {current.interform_version}"
    ]


def _lockfile_reasons(saved: Plan, lock: Lockfile | None) -> list[str]:
    lineage = lock.lineage if lock else None
    if saved.lineage != lineage:
        if saved.lineage is None:
            return ["a lockfile was created since the plan was made (there was none)"]
        if lineage is None:
            return ["the lockfile the plan was made against no longer exists"]
        return [f"the lockfile is another one (lineage {lineage}, the plan's is {saved.lineage})"]
    if lockfile_digest(lock) != saved.lockfile_digest:
        return ["the lockfile was written since the plan was made"]
    return []


def _definition_reasons(saved: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    reasons = []
    for name in sorted(set(saved) | set(now)):
        if name not in now:
            reasons.append(f"{name} was deleted since the plan was made")
        elif name not in saved:
            reasons.append(f"{name} is new since the plan was made")
        elif saved[name] != now[name]:
            reasons.append(f"{name} changed since the plan was made")
    return reasons


def _entry_reasons(saved: Mapping[str, str], lock: Lockfile | None) -> list[str]:
    entries = lock.entries if lock else {}
    reasons = []
    for address, digest in sorted(saved.items()):
        entry = entries.get(address)
        now = entry_digest(entry) if entry is not None else ""
        if now == digest:
            continue
        if not digest:
            reasons.append(f"entry {address} was added since the plan was made")
        elif not now:
            reasons.append(f"entry {address} was removed since the plan was made")
        else:
            reasons.append(f"entry {address} changed since the plan was made")
    return reasons
