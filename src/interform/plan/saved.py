"""Saved plans (`plan --out FILE`): the reviewed plan, and everything it was made from.

The file records the lockfile's lineage and digest, a digest of every definition file
(and interform.yaml) and of each lockfile entry the plan touches, the interform version,
and an HMAC of all of it (`signing.py`: the key is kept out of git), so that nobody can
change a request in it unnoticed. `stale_reasons` names every input that moved since,
and `unfaithful_reasons` every request that is not what the definitions give, so apply
can refuse to carry out a plan that is no longer the one reviewed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from interform import __version__, hints
from interform.atomic import atomic_write
from interform.digest import body_digest
from interform.errors import Problem, UserError, shown
from interform.lockfile.model import Lockfile
from interform.lockfile.store import entry_digest, lockfile_digest
from interform.plan.codec import plan_from_data, plan_to_data
from interform.plan.model import Plan
from interform.plan.signing import ENV_KEY, KEY_FILE, sign, verified
from interform.providers.base import DesiredResource, with_refs
from interform.untrusted import UntrustedInput, load_json_file

# a plan of 10,000 changes is some tens of megabytes
MAX_PLAN_BYTES = 256 * 1024 * 1024

KIND = "interform-saved-plan"
# 3: signed with an HMAC (`mac`); 2 named the lockfile by its digest, 1 by its write
#    counter: both carried a plain digest of themselves, which anyone could recompute
FORMAT_VERSION = 3


@dataclass(frozen=True)
class PlanInputs:
    """What a plan is made from, as it is now."""

    lock: Lockfile | None
    definitions: Mapping[str, str]  # file (relative to the project root) -> sha256
    interform_version: str = __version__


def dumps_saved(plan: Plan, key: bytes) -> str:
    document: dict[str, Any] = {
        "kind": KIND,
        "format_version": FORMAT_VERSION,
        "interform_version": plan.interform_version or __version__,
        "lockfile": {"lineage": plan.lineage, "digest": plan.lockfile_digest},
        "definitions": dict(sorted(plan.definition_digests.items())),
        "entries": dict(sorted(plan.entry_digests.items())),
        "plan": plan_to_data(plan),
    }
    document["mac"] = sign(key, document)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save_plan(path: Path, plan: Plan, lock: Lockfile | None, key: bytes) -> None:
    """Write `plan`, made from `lock`, for a later `interform apply PLANFILE`, signed
    with `key`."""
    plan.lockfile_digest = lockfile_digest(lock)
    atomic_write(path, dumps_saved(plan, key))


def load_saved(path: Path, key: bytes | None) -> Plan:
    """The plan saved at `path`, refused when it is not one, was modified, or cannot be
    checked (`key` None: no key here)."""
    try:
        document = load_json_file(path, MAX_PLAN_BYTES)
    except FileNotFoundError as err:
        raise UserError([_problem(path, "no such saved plan", "check the path")]) from err
    except UntrustedInput as err:
        message = err.message if err.line else f"cannot read the saved plan: {err.message}"
        raise UserError([_problem(path, message, line=err.line, col=err.col)]) from None
    _check_document(document, path, key)
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


def _check_document(document: Any, path: Path, key: bytes | None) -> None:
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
                    f"({FORMAT_VERSION})" + (", without a signature" if age == "older" else ""),
                    "use the interform version that made it, or make a new plan",
                )
            ]
        )
    if key is None:
        raise UserError(
            [
                _problem(
                    path,
                    "its signature cannot be checked here: there is no plan key "
                    f"({KEY_FILE} or {ENV_KEY})",
                    f"apply it where it was made, set {ENV_KEY} to the key it was made with, "
                    f"or make a new plan with `{hints.command('plan', '--out', str(path))}`",
                )
            ]
        )
    content = {k: v for k, v in document.items() if k != "mac"}
    if not verified(key, content, document.get("mac")):
        raise UserError(
            [
                _problem(
                    path,
                    "the saved plan was modified after it was written, or signed with "
                    "another key (signature mismatch)",
                )
            ]
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


# what a change sends, or decides where it goes: a saved plan must match the definitions
_SENT = ("address", "interview", "target", "provider", "kind", "body", "digest", "parent")
_SENT_TOO = ("parent_remote_id", "protect", "moved_from", "removal", "sinks")


def unfaithful_reasons(saved: Plan, desired: Sequence[DesiredResource]) -> list[str]:
    """Every change whose request is not what the definitions render now. Once
    `stale_reasons` found the definitions unchanged, a difference can only be an edit
    of the saved file: re-derived, not trusted (a check that needs no key)."""
    fresh = {res.address: res for res in desired}
    reasons = []
    for change in saved.changes:
        res = change.desired
        if res is None:
            continue
        now = fresh.get(res.address)
        if now is not None:  # referenced ids come from the lockfile, checked unchanged
            now = with_refs(now, partial(_ref_value, res))
        if now is None or _sent(res) != _sent(now) or res.digest != body_digest(res.body):
            reasons.append(f"{change.address}: its request is not what its definition gives")
    return reasons


def _ref_value(res: DesiredResource, address: str) -> str | None:
    key = next(k for k, a in res.refs.items() if a == address)
    value = res.body.get(key)
    return value if isinstance(value, str) else None


def _sent(res: DesiredResource) -> tuple[Any, ...]:
    return tuple(getattr(res, name) for name in (*_SENT, *_SENT_TOO))


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
