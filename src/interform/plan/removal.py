"""What removing an object means on its platform, and how the plan says so."""

from __future__ import annotations

from interform.lockfile.model import Entry
from interform.plan.model import Action
from interform.providers.base import KindSpec, Removal

_ACTIONS = {
    Removal.DELETE: Action.DELETE,
    Removal.SOFT_DELETE: Action.DELETE,
    Removal.ARCHIVE: Action.ARCHIVE,
    Removal.FORGET: Action.FORGET,
}


def removal_mode(entry: Entry, spec: KindSpec) -> Removal:
    if entry.removal:
        return Removal(entry.removal)
    return spec.removal


def removal_action(mode: Removal) -> Action:
    return _ACTIONS[mode]


def removal_note(mode: Removal, spec: KindSpec) -> str:
    """The consequence users must know about, beyond 'it is deleted'."""
    if mode is Removal.SOFT_DELETE:
        return f"soft delete: the {spec.label} stays on the platform, marked deleted"
    if mode is Removal.ARCHIVE:
        return f"archived: the {spec.label} stays on the platform with status archived"
    if mode is Removal.FORGET:
        return (
            f"the platform cannot delete a {spec.label}: it stays there, "
            "and interform stops tracking it"
        )
    return ""


def replacement_note(spec: KindSpec) -> str:
    """What replacing a session costs its candidate: a reviewer must see it."""
    if not spec.session:
        return ""
    if spec.removal is Removal.FORGET:
        return "the candidate gets a new link; the old session stays on the platform, untracked"
    return "the candidate gets a new link; the old session is deleted, with any results it has"


def plural(label: str) -> str:
    if label.endswith("y") and not label.endswith(("ay", "ey", "oy", "uy")):
        return label[:-1] + "ies"
    return label + "s"
