"""Addresses: how interform names what it manages.

- a definition's address is its path under `interviews/` without the extension:
  `engineering/backend-senior`;
- a remote object's address adds the target: `engineering/backend-senior@micro1-prod`;
- a session (Instaview interview, Versive participant interview) adds its name:
  `engineering/backend-senior@instaview#smoke-test`;
- an object a definition or a session needs besides (an Instaview job or candidate)
  adds its kind after a colon: the definition's job `...@instaview#:job`, the candidate
  of session `smoke-test` `...@instaview#smoke-test:candidate`. A session name holds no
  colon, so neither can be taken for a session.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Final

SEGMENT: Final = r"[a-z0-9][a-z0-9._-]*"
DEFINITION_RE: Final = re.compile(rf"^{SEGMENT}(/{SEGMENT})*$")
NAME_RE: Final = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NAME: Final = r"[a-z0-9][a-z0-9_-]*"
RESOURCE_RE: Final = re.compile(
    rf"^(?P<interview>{SEGMENT}(?:/{SEGMENT})*)@(?P<target>[a-z0-9][a-z0-9_-]*)"
    rf"(?:#(?P<session>{_NAME}(?::[a-z]+)?|:[a-z]+))?$"
)


@dataclass(frozen=True, order=True)
class Address:
    interview: str
    target: str
    session: str | None = None

    def __str__(self) -> str:
        base = f"{self.interview}@{self.target}"
        return f"{base}#{self.session}" if self.session else base

    @property
    def parent(self) -> Address | None:
        return Address(self.interview, self.target) if self.session else None

    @classmethod
    def parse(cls, text: str) -> Address:
        m = RESOURCE_RE.match(text)
        if not m:
            raise ValueError(
                f"{text!r} is not an address; expected INTERVIEW@TARGET or INTERVIEW@TARGET#SESSION"
            )
        return cls(m["interview"], m["target"], m["session"])


def resource_address(interview: str, target: str, session: str | None = None) -> str:
    return str(Address(interview, target, session))


def part_address(owner: str, kind: str) -> str:
    """The address of the `kind` object that `owner` (a definition resource's or a
    session's address) needs besides: `a@t` -> `a@t#:job`, `a@t#s` -> `a@t#s:candidate`."""
    return f"{owner}:{kind}" if "#" in owner else f"{owner}#:{kind}"


def is_part(address: str) -> bool:
    """An object a definition or session needs besides (`#:job`, `#s:candidate`)."""
    return ":" in address.split("~", 1)[0].partition("#")[2]


def matches(address: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """Glob match used by --target/--exclude. A pattern without `@` matches the interview
    part, so `engineering/*` selects every target and session of those interviews."""
    interview = address.split("@", 1)[0]
    for pat in patterns:
        subject = address if ("@" in pat or "#" in pat) else interview
        if fnmatch.fnmatchcase(subject, pat):
            return True
    return False
