"""Addresses: how interform names what it manages.

- a definition's address is its path under `interviews/` without the extension:
  `engineering/backend-senior`;
- a remote object's address adds the target: `engineering/backend-senior@micro1-prod`;
- a session (Instaview interview, Versive participant interview) adds its name:
  `engineering/backend-senior@instaview#smoke-test`;
- an object a definition or a session needs besides (an Instaview job or candidate)
  adds its kind after a colon: the definition's job `...@instaview#:job`, the candidate
  of session `smoke-test` `...@instaview#smoke-test:candidate`. A session name holds no
  colon, so neither can be taken for a session;
- a replaced object awaiting removal keeps its address plus `~` and its old remote id:
  `engineering/backend-senior@micro1-prod~r-123` (the deposed form). No address holds a
  `~` and no remote id a `#`, so the first `~` always starts the remote id.

Everything that takes an address apart or puts one together goes through this module.
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
# a replaced object awaiting removal is kept as `<address>~<old remote id>`
DEPOSED_SEPARATOR: Final = "~"
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


def deposed_address(address: str, remote_id: str) -> str:
    """Where a replaced object waits for removal: `team/x@micro1~<old remote id>`."""
    return f"{address}{DEPOSED_SEPARATOR}{remote_id}"


def split_deposed(address: str) -> tuple[str, str | None]:
    """(the live address, the old remote id) of a deposed address; (address, None) of
    any other."""
    base, sep, remote_id = address.partition(DEPOSED_SEPARATOR)
    return (base, remote_id) if sep else (base, None)


def undeposed(address: str) -> str:
    """The address without its deposed suffix: `a@t~r-1` -> `a@t` (others unchanged)."""
    return split_deposed(address)[0]


def is_deposed(address: str) -> bool:
    """A replaced object awaiting removal (`a@t~r-1`)."""
    return DEPOSED_SEPARATOR in address


def definition_address(address: str) -> str:
    """The address of the definition resource an address belongs to: `a@t#s:candidate`,
    `a@t#s`, `a@t#:job` and `a@t~r-1` all give `a@t`."""
    return undeposed(address).split("#", 1)[0]


def is_part(address: str) -> bool:
    """An object a definition or session needs besides (`#:job`, `#s:candidate`)."""
    return ":" in undeposed(address).partition("#")[2]


def is_session(address: str) -> bool:
    """A session (`a@t#s`, deposed or not), not one of its parts."""
    return "#" in undeposed(address) and not is_part(address)


def owned_by(address: str, owner: str) -> bool:
    """Whether `address` is a session or part of the definition resource `owner`
    (deposed or not): `a@t#s`, `a@t#:job` and `a@t#s~r-1` are owned by `a@t`."""
    return undeposed(address).startswith(owner + "#")


def rebased(address: str, old: str, new: str) -> str:
    """`address`, which is `old` or owned by it, once `old` moves to `new`:
    `a@t#s` with `a@t` -> `b@t` gives `b@t#s`."""
    return new + address[len(old) :]


def with_interview(address: str, interview: str) -> str:
    """`address` for the same object under another definition: `a@t#s` -> `b@t#s`."""
    _, at, rest = address.partition("@")
    return f"{interview}{at}{rest}"


def is_resource_address(text: str) -> bool:
    """Whether `text` is a (not deposed) resource address."""
    return RESOURCE_RE.match(text) is not None


def matches(address: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """Glob match used by --target/--exclude. A pattern without `@` matches the interview
    part, so `engineering/*` selects every target and session of those interviews."""
    interview = address.split("@", 1)[0]
    for pat in patterns:
        subject = address if ("@" in pat or "#" in pat) else interview
        if fnmatch.fnmatchcase(subject, pat):
            return True
    return False
