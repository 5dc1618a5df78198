"""Second objects waiting for removal (`address~<remote id>`), as a merge of two branches
that both created a definition leaves them: the plan removes them, sessions before the
agent they were created under, and keeps the objects that stay."""

from __future__ import annotations

from interform.digest import body_digest
from interform.lockfile.model import Entry, Lockfile
from interform.model.identity import Identity
from interform.plan.model import Action
from interform.plan.planner import make_plan
from interform.providers.base import DesiredResource

from .kinds import SPECS

AGENT_BODY = {"name": "Backend"}
SESSION_BODY = {"candidate": "smoke"}


def desired() -> list[DesiredResource]:
    return [
        resource("x@iv", "agent", AGENT_BODY),
        resource("x@iv#smoke", "session", SESSION_BODY, parent="x@iv"),
    ]


def resource(
    address: str, kind: str, body: dict[str, str], parent: str | None = None
) -> DesiredResource:
    return DesiredResource(
        Identity(address, "x", "iv", "instaview", kind, parent), body=body, source="x.yaml"
    )


def entry(kind: str, remote_id: str, body: dict[str, str], parent_id: str | None = None) -> Entry:
    return Entry(
        interview="x",
        target="iv",
        provider="instaview",
        kind=kind,
        remote_id=remote_id,
        parent="x@iv" if kind == "session" else None,
        parent_remote_id=parent_id,
        request=body,
        digest=body_digest(body),
    )


def test_second_objects_are_removed_sessions_first() -> None:
    lock = Lockfile(
        lineage="l",
        entries={
            "x@iv": entry("agent", "AG1", AGENT_BODY),
            "x@iv#smoke": entry("session", "S1", SESSION_BODY, "AG1"),
            "x@iv~AG2": entry("agent", "AG2", AGENT_BODY),
            "x@iv#smoke~S2": entry("session", "S2", SESSION_BODY, "AG2"),
        },
    )
    plan = make_plan(desired(), lock, specs=SPECS)
    changes = {c.address: c for c in plan.changes}
    assert sorted(changes) == ["x@iv#smoke~S2", "x@iv~AG2"]
    assert {c.action for c in changes.values()} == {Action.DELETE}
    assert changes["x@iv~AG2"].depends_on == ["x@iv#smoke~S2"]
    assert "from merging two branches that both created it" in changes["x@iv~AG2"].reason
    assert plan.unchanged == 2
