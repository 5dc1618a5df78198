"""Which class implements each platform: one plain dict, imported only when asked for,
so listing providers or starting the CLI costs nothing."""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interform.providers.base import KindSpec, Provider

# provider name (as in interform.yaml `provider:`) -> "module:class"
PROVIDERS: dict[str, str] = {
    "micro1": "interform.providers.micro1:Micro1",
    "jobmojito": "interform.providers.jobmojito:JobMojito",
    "instaview": "interform.providers.instaview:Instaview",
    "versive": "interform.providers.versive:Versive",
}


class UnknownProvider(LookupError):
    """A provider or kind name that no adapter declares (a bug in the caller: the project
    model only admits the four provider names)."""


@cache
def provider_class(name: str) -> type[Provider]:
    """The adapter class for a provider name, imported on first use."""
    try:
        module_name, _, attr = PROVIDERS[name].partition(":")
    except KeyError:
        raise UnknownProvider(
            f"unknown provider {name!r}; known: {', '.join(sorted(PROVIDERS))}"
        ) from None
    cls: type[Provider] = getattr(importlib.import_module(module_name), attr)
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
