"""Properties of the planner over generated projects (hypothesis).

- Deterministic: the same inputs in any order give the same plan and the same output.
- Convergent: applying a plan (`simulate`) and planning again gives no changes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interform.lockfile.applied import entry_from_desired
from interform.lockfile.model import Lockfile
from interform.lockfile.store import new_lockfile
from interform.model.identity import Identity
from interform.output.jsonout import render_json
from interform.output.markdown import render_markdown
from interform.output.text import render_text
from interform.plan.planner import make_plan
from interform.plan.simulate import simulate
from interform.providers.base import DesiredResource

from .kinds import SPECS

NAMES = ["eng/backend", "eng/frontend", "sales/ae", "support/screen", "research/study", "ops"]
PROVIDERS = {
    "micro1": "interview",
    "jobmojito": "interview",
    "instaview": "agent",
    "versive": "study",
}
WORDS = st.sampled_from(["why", "tell", "us", "about", "a", "bug", "team", "design", "you"])
TEXT = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)


@st.composite
def questions(draw: st.DrawFn, provider: str) -> list[Any]:
    texts = draw(st.lists(TEXT, max_size=5))
    if provider == "instaview":
        return texts
    if provider == "jobmojito":
        ids = draw(st.permutations([f"q{i}" for i in range(len(texts))]))
        return [
            {"external_id": i, "question": t, "duration": 60}
            for i, t in zip(ids, texts, strict=True)
        ]
    return [{"question": t, "time": draw(st.integers(1, 4))} for t in texts]


@st.composite
def body(draw: st.DrawFn, provider: str) -> dict[str, Any]:
    result: dict[str, Any] = {"name": draw(TEXT), "level": draw(st.integers(0, 3))}
    if provider == "micro1":
        result["custom_question_list"] = draw(questions(provider))
    elif provider in ("jobmojito", "instaview"):
        result["questions"] = draw(questions(provider))
    if provider == "jobmojito":
        result["welcome_message"] = draw(st.sampled_from(["hi", "hello"]))
    if provider == "instaview":
        result["type"] = draw(st.sampled_from(["ONLINE", "PHONE"]))
    if provider == "versive":
        result["config"] = {"color": draw(st.sampled_from(["red", "blue"]))}
    return result


def resource(
    address: str, provider: str, kind: str, body: dict[str, Any], **extra: Any
) -> DesiredResource:
    identity = Identity.at(address, provider, kind)
    source = f"interviews/{identity.interview}.yaml"
    return DesiredResource(identity, body=body, source=source, **extra)


@st.composite
def definition(draw: st.DrawFn, name: str) -> list[DesiredResource]:
    provider = draw(st.sampled_from(sorted(PROVIDERS)))
    parent = resource(f"{name}@{provider}", provider, PROVIDERS[provider], draw(body(provider)))
    found = [parent]
    if provider in ("instaview", "versive"):
        for session in draw(st.lists(st.sampled_from(["s1", "s2", "s3"]), unique=True, max_size=2)):
            title = {"title": draw(TEXT)}
            found.append(resource(f"{parent.address}#{session}", provider, "session", title))
    return found


@st.composite
def scenario(draw: st.DrawFn) -> tuple[list[DesiredResource], Lockfile]:
    """Desired resources, and a lockfile from an earlier, partly different, apply."""
    chosen = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=5))
    desired = [r for name in chosen for r in draw(definition(name))]
    earlier = [
        r
        for name in draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=4))
        for r in draw(definition(name))
    ]
    for res in desired:  # some applied before with other values
        if draw(st.booleans()):
            earlier = [r for r in earlier if r.address != res.address]
            earlier.append(
                resource(
                    res.address,
                    res.provider,
                    res.kind,
                    draw(body(res.provider)) if res.parent is None else dict(res.body),
                )
            )
    desired = [draw(_maybe_protected(r)) for r in desired]
    desired = draw(_maybe_renamed(desired, earlier))
    return desired, _applied(earlier)


@st.composite
def _maybe_protected(draw: st.DrawFn, res: DesiredResource) -> DesiredResource:
    return replace(res, protect=draw(st.booleans()))


@st.composite
def _maybe_renamed(
    draw: st.DrawFn, desired: list[DesiredResource], earlier: list[DesiredResource]
) -> list[DesiredResource]:
    """Declare a rename of one definition resource from an address only the lockfile has."""
    taken = {r.address.split("@")[0] for r in desired + earlier}
    free = [n for n in NAMES if n not in taken]
    parents = [
        r for r in desired if r.parent is None and r.address not in {e.address for e in earlier}
    ]
    if not free or not parents or not draw(st.booleans()):
        return desired
    new = draw(st.sampled_from(parents))
    old_address = draw(st.sampled_from(free)) + new.address[len(new.interview) :]
    old_body = draw(body(new.provider))
    earlier.append(resource(old_address, new.provider, new.kind, old_body))
    return [replace(r, moved_from=old_address) if r is new else r for r in desired]


def _applied(resources: list[DesiredResource]) -> Lockfile:
    lock = new_lockfile()
    ids: dict[str, str] = {}
    for n, res in enumerate(sorted(resources, key=lambda r: (r.parent is not None, r.address))):
        if res.parent and res.parent not in ids:
            continue  # sessions exist only under an applied parent
        ids[res.address] = f"r{n}"
        lock.entries[res.address] = entry_from_desired(
            res, remote_id=f"r{n}", parent_remote_id=ids.get(res.parent or ""), now="t"
        )
    return lock


def _reversed(lock: Lockfile) -> Lockfile:
    return lock.model_copy(update={"entries": dict(reversed(list(lock.entries.items())))})


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(scenario(), st.randoms(use_true_random=False))
def test_planning_is_deterministic(data: tuple[list[DesiredResource], Lockfile], rnd: Any) -> None:
    desired, lock = data
    shuffled = list(desired)
    rnd.shuffle(shuffled)
    first = make_plan(desired, lock, specs=SPECS)
    second = make_plan(shuffled, _reversed(lock), specs=SPECS)
    assert first.changes == second.changes
    for render in (render_text, render_json, render_markdown):
        assert render(first) == render(second)


@FAST
@given(scenario())
def test_applying_a_plan_converges(data: tuple[list[DesiredResource], Lockfile]) -> None:
    desired, lock = data
    plan = make_plan(desired, lock, specs=SPECS)
    after = simulate(plan, lock, now="later")
    again = make_plan(desired, after, specs=SPECS)
    assert again.changes == [], render_text(again)
    assert again.unchanged == len(desired)
    # and the lockfile records exactly what is defined, sessions under their parent's id
    assert sorted(after.entries) == sorted(r.address for r in desired)
    for res in desired:
        entry = after.entries[res.address]
        assert (entry.digest, entry.protect) == (res.digest, res.protect)
        if res.parent:
            assert entry.parent_remote_id == after.entries[res.parent].remote_id
