"""Every platform interform knows, from one registry: the four built in, plus any that an
installed package declares under the entry-point group `interform.platforms`.

A platform is a package (`interform.providers.<name>` for the built-in ones) holding a
`Platform` descriptor: its display name and credential variable, and "module:attribute"
references to its adapter, definition section, emulator, language table, rules and
reverse mapping. Everything else in interform — the provider names interform.yaml and the
lockfile accept, the definition's platform sections, the rules, the sandbox, `import
--generate`, the docs — is derived from this registry, and imports a platform's code only
through it, when first needed (so starting the CLI imports none of them).

To add a platform outside interform, declare in the distribution's metadata:

    [project.entry-points."interform.platforms"]
    acme = "acme_interform.platform:PLATFORM"
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

ENTRY_POINT_GROUP: Final = "interform.platforms"
# the built-in platforms' descriptors, in the order they are listed everywhere
BUILTIN: Final = (
    "interform.providers.micro1.platform:PLATFORM",
    "interform.providers.jobmojito.platform:PLATFORM",
    "interform.providers.instaview.platform:PLATFORM",
    "interform.providers.versive.platform:PLATFORM",
)


class UnknownPlatform(LookupError):
    """A platform name no registered package declares."""


@dataclass(frozen=True)
class Platform:
    """What interform knows about one platform. References are "module:attribute"
    strings, imported on first use."""

    name: str  # as in interform.yaml `provider:` and the definition's section key
    display: str  # as written in messages: "JobMojito"
    credential_env: str  # the default environment variable holding the credential
    adapter: str  # the `Provider` subclass
    settings: str  # the pydantic model of the definition's `<name>:` section
    emulator: str  # the sandbox `Emulator` subclass
    languages: str  # module: LANGUAGES (code -> spelling), SOURCE, optional docs COLUMN
    # module: RULES (definition rules validate runs, for a definition targeting this
    # platform), reads_clock
    rules: str | None = None
    generator: str | None = None  # module whose `generate` reverses the request body
    docs: str | None = None  # the platform's page in the repository, with generated blocks
    conditional_questions: bool = False  # questions may follow up an earlier answer
    # module managing its webhooks as code (EVENTS, SECRETS, render; see
    # `interform.providers.webhooks`), or None with `no_webhooks` saying what it offers
    webhooks: str | None = None
    no_webhooks: str | None = None
    # function(Lockfile) -> Lockfile recording what an older interform wrote in another
    # shape (the lockfile layer applies it to every lockfile it reads)
    lockfile_upgrade: str | None = None
    # query parameter naming the account a partner key acts for, sent on every call when
    # a target sets `company_id` (Instaview's ATS keys: `?companyId=`)
    company_param: str | None = None

    def package_dir(self) -> Path:
        """The folder of the platform's own code (where its definition section lives).
        Found without running the module: the caches ask for it before the definition
        model, which imports every platform's settings, may have been built."""
        spec = importlib.util.find_spec(self.settings.partition(":")[0])
        return Path(spec.origin if spec is not None and spec.origin else "").resolve().parent


def load(reference: str) -> Any:
    """The object a "module:attribute" reference names."""
    module_name, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _entry_point_descriptors() -> Iterable[str]:
    from importlib.metadata import entry_points

    return [ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)]


@cache
def registry() -> dict[str, Platform]:
    """Every platform by name: built-in first, then entry points (sorted by name)."""
    found: dict[str, Platform] = {}
    for reference in (*BUILTIN, *sorted(_entry_point_descriptors())):
        platform = load(reference)
        if not isinstance(platform, Platform):
            raise TypeError(f"{reference} is not an interform.platforms.Platform")
        found.setdefault(platform.name, platform)
    return found


def names() -> tuple[str, ...]:
    return tuple(registry())


def get(name: str) -> Platform:
    try:
        return registry()[name]
    except KeyError:
        raise UnknownPlatform(f"unknown platform {name!r}; known: {', '.join(names())}") from None


def display(name: str) -> str:
    """The platform's name as messages write it (the name itself when unknown)."""
    found = registry().get(name)
    return found.display if found else name


def source_files() -> list[Path]:
    """Every registered platform's code: what a definition validates and renders to
    depends on it, so the caches are keyed on it."""
    return sorted(path for p in registry().values() for path in p.package_dir().rglob("*.py"))
