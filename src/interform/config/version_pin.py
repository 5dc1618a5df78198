"""`required_version` in interform.yaml: which interform versions may plan and apply the
project, with Terraform's meaning and syntax. Another version refuses to run, before it
reads anything else (a project pinned to a newer interform may use keys this one does
not know), so a laptop and CI never apply the same project with different behaviour.

A constraint is one or more comma-separated conditions, all of which must hold:
`0.1.0` or `= 0.1.0` (exactly), `!= 0.1.1`, `>`, `>=`, `<`, `<=`, and `~> 0.1.0`
(0.1.0 or a later 0.1.x; `~> 0.1` is 0.1 or a later 0.x). As in Terraform, a
pre-release (`0.2.0rc1`) satisfies only an exact condition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from interform.config.issues import Issue

KEY: Final = "required_version"
EXAMPLES: Final = 'e.g. "0.1.0", ">= 0.1, < 0.2" or "~> 0.1.0"'
_CONDITION = re.compile(r"^\s*(~>|>=|<=|!=|=|>|<)?\s*(\d+(?:\.\d+)*)[-.]?([A-Za-z][\w.+-]*)?\s*$")


@dataclass(frozen=True, order=True)
class Version:
    release: tuple[int, ...]
    # pre-release sorts before its release: (0, tag) < (1, "")
    pre: tuple[int, str] = (1, "")

    @property
    def is_pre(self) -> bool:
        return self.pre[0] == 0


def parse_version(text: str) -> Version | None:
    match = _CONDITION.match(text)
    if match is None or match[1]:
        return None
    return _version(match[2], match[3])


def satisfies(version: str, constraint: str) -> bool:
    """Whether `version` meets every condition of `constraint` (ValueError: not one)."""
    running = parse_version(version)
    if running is None:
        raise ValueError(f"not a version: {version!r}")
    conditions = [_condition(part) for part in constraint.split(",")]
    return all(_holds(running, op, wanted) for op, wanted in conditions)


def version_issues(data: dict[Any, Any], running: str) -> list[Issue]:
    """The problem with `required_version` in interform.yaml's data, if there is one."""
    constraint = data.get(KEY)
    if not isinstance(constraint, str):
        return []  # absent, or not a string: the schema says so
    try:
        ok = satisfies(running, constraint)
    except ValueError:
        return [
            Issue(
                (KEY,),
                f"{KEY} {constraint!r} is not a version constraint",
                f"write one as Terraform does, {EXAMPLES}",
            )
        ]
    if ok:
        return []
    return [
        Issue(
            (KEY,),
            f"this is interform {running}, but the project requires {constraint!r}",
            "install the version it requires (CI installs the pinned one: see the "
            "interform CI guide), or change required_version if the project should move",
        )
    ]


def _condition(text: str) -> tuple[str, Version]:
    match = _CONDITION.match(text)
    if match is None:
        raise ValueError(f"not a version condition: {text!r}")
    return match[1] or "=", _version(match[2], match[3])


def _version(release: str, pre: str | None) -> Version:
    numbers = tuple(int(part) for part in release.split("."))
    return Version(numbers, (0, pre) if pre else (1, ""))


def _holds(running: Version, op: str, wanted: Version) -> bool:
    if running.is_pre and op != "=":
        return False  # Terraform: a pre-release is only ever chosen exactly
    width = max(len(running.release), len(wanted.release))
    have = Version(_pad(running.release, width), running.pre)
    need = Version(_pad(wanted.release, width), wanted.pre)
    if op == "~>":
        return need <= have < _next_minor(wanted, width)
    return {
        "=": have == need,
        "!=": have != need,
        ">": have > need,
        ">=": have >= need,
        "<": have < need,
        "<=": have <= need,
    }[op]


def _next_minor(wanted: Version, width: int) -> Version:
    """The first version `~> wanted` excludes: its second-to-last part bumped."""
    parts = list(wanted.release)
    at = max(len(parts) - 2, 0)
    bumped = [*parts[:at], parts[at] + 1]
    return Version(_pad(tuple(bumped), width), (0, ""))


def _pad(release: tuple[int, ...], width: int) -> tuple[int, ...]:
    return release + (0,) * (width - len(release))
