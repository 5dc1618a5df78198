"""Which class implements each platform (from `interform.platforms`), imported only when
asked for, so listing providers or starting the CLI costs nothing."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from interform import platforms

if TYPE_CHECKING:
    from interform.providers.base import KindSpec, Provider


class UnknownProvider(LookupError):
    """A provider or kind name that no adapter declares (a bug in the caller: the project
    model only admits registered platforms)."""


@cache
def provider_class(name: str) -> type[Provider]:
    """The adapter class for a provider name, imported on first use."""
    try:
        reference = platforms.get(name).adapter
    except platforms.UnknownPlatform:
        raise UnknownProvider(
            f"unknown provider {name!r}; known: {', '.join(sorted(platforms.names()))}"
        ) from None
    cls: type[Provider] = platforms.load(reference)
    return cls


def kind_spec(provider: str, kind: str) -> KindSpec:
    """Capabilities of one kind of object on one platform."""
    kinds = provider_class(provider).kinds
    try:
        return kinds[kind]
    except KeyError:
        raise UnknownProvider(
            f"{provider} has no kind {kind!r}; it manages: {', '.join(sorted(kinds))}"
        ) from None
