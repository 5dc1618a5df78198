"""Webhooks as code: what micro1's and Instaview's webhook adapters share.

`desired(project)` renders every webhook `interform.yaml` declares into
`DesiredResource`s of kind `webhook`, which the planner, apply, refresh, import and
destroy handle like any other object. Each platform's module
(`providers/<platform>/webhooks.py`) renders its body and talks HTTP.

The secret (Instaview: a custom header the receiver checks) never enters a body: the
body carries `secret_token(value)` in its place — a salted PBKDF2 digest, so the lockfile
can tell a changed secret from an unchanged one without revealing it (a weak secret is
still costly to guess) — and the adapter puts the value itself into the request on the
way out (`secret_value`), registered with `secrets` so no output can print it.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Protocol

from interform import platforms, secrets
from interform.errors import Problem
from interform.model.address import resource_address
from interform.model.identity import Identity
from interform.model.webhooks import KIND, Webhook, address_part, webhook_name
from interform.project_root import PROJECT_FILE
from interform.providers.base import DesiredResource, KindSpec, Removal, YamlPath
from interform.providers.errors import ProviderError

if TYPE_CHECKING:
    from interform.model.project import Project, Target

TOKEN_PREFIX: Final = "interform-secret:pbkdf2-sha256:"
UNSET: Final = "interform-secret:unset"  # the variable is not set (plan and apply refuse)
_ROUNDS: Final = 100_000


class Platform(Protocol):
    """What a platform's webhook module offers the shared code."""

    EVENTS: tuple[str, ...]
    SECRETS: bool  # whether a secret can be sent with deliveries

    def render(self, name: str, hook: Webhook, target: str) -> list[DesiredResource]: ...


def platform(provider: str) -> Platform | None:
    """The webhook module of a platform (its registry entry's `webhooks`), None when its
    API manages no webhooks."""
    found = platforms.registry().get(provider)
    if found is None or found.webhooks is None:
        return None
    module: Platform = importlib.import_module(found.webhooks)
    return module


def unavailable(provider: str) -> str:
    """Why a platform's webhooks cannot be declared here (what it offers instead)."""
    found = platforms.registry().get(provider)
    return (found.no_webhooks if found else None) or f"{provider} has no webhook API"


def desired(project: Project) -> list[DesiredResource]:
    """Every webhook `interform.yaml` declares, rendered, in file order."""
    resources: list[DesiredResource] = []
    for target_name, target in project.targets.items():
        module = platform(target.provider)
        if module is None:
            continue  # the project's validation refused webhooks here
        for name, hook in target.webhooks.items():
            resources += module.render(name, hook, target_name)
    return resources


def kind_spec(label: str, notes: tuple[str, ...]) -> KindSpec:
    """A platform's webhook kind: updated in place, deleted, read back and listed; no
    field for an ownership marker."""
    return KindSpec(
        kind=KIND,
        label=label,
        session=False,
        updatable=True,
        removal=Removal.DELETE,
        readable=True,
        discoverable=True,
        marker=None,
        notes=notes,
    )


def yaml_path(target: str, name: str, *rest: str | int) -> YamlPath:
    return ("targets", target, "webhooks", name, *rest)


def resource(
    target: str,
    provider: str,
    name: str,
    hook: Webhook,
    body: Mapping[str, Any],
    origins: Mapping[str, YamlPath],
    event: str | None = None,
) -> DesiredResource:
    """One webhook object as a resource of `interform.yaml`."""
    interview = address_part(name, event)
    context = {"secret_env": hook.secret_env} if hook.secret_env else {}
    return DesiredResource(
        identity=Identity(resource_address(interview, target), interview, target, provider, KIND),
        body=body,
        source=PROJECT_FILE,
        protect=hook.protect,
        origins={"": yaml_path(target, name), **origins},
        context=context,
    )


# ---------------------------------------------------------------------- secrets


def secret_token(target: str, name: str, variable: str) -> str:
    """What a body holds for the secret in `variable`: a digest salted with the
    webhook's place (the same secret on two webhooks gives two tokens), or `UNSET`."""
    value = os.environ.get(variable)
    if not value:
        return UNSET
    secrets.register(value)
    salt = f"interform-webhook:{target}:{name}".encode()
    digest = hashlib.pbkdf2_hmac("sha256", value.encode(), salt, _ROUNDS)
    return TOKEN_PREFIX + digest.hex()[:32]


def secret_value(target: Target, interview: str) -> str:
    """The secret itself, read when a request is about to carry it."""
    name = webhook_name(interview)
    hook = target.webhooks.get(name) if name else None
    variable = hook.secret_env if hook else None
    value = os.environ.get(variable) if variable else None
    if not value:
        raise ProviderError(
            target.provider,
            f"{interview}: the environment variable {variable} holding its secret is not set",
        )
    secrets.register(value)
    return value


def secret_problems(
    desired: Sequence[DesiredResource], locate: Callable[[str, YamlPath], tuple[int, int]]
) -> list[Problem]:
    """One line per webhook whose secret variable is not set (plan and apply need it:
    without it the plan cannot tell whether the secret changed, nor apply send it)."""
    problems = []
    seen: set[str] = set()
    for res in desired:
        variable = res.context.get("secret_env") if res.kind == KIND else None
        if not variable or os.environ.get(variable) or res.address in seen:
            continue
        seen.add(res.address)
        path = (*res.origins[""], "secret_env")
        line, col = locate(res.source, path)
        problems.append(
            Problem(
                res.source,
                line,
                col,
                f"{res.address}: the environment variable {variable} (its secret) is not set",
                f"export {variable} before running interform (CI: from a secret store)",
            )
        )
    return problems


def real_headers(body_headers: Any, secret: Callable[[], str]) -> list[dict[str, Any]]:
    """Headers as sent: each token replaced by the secret itself."""
    headers = body_headers if isinstance(body_headers, list) else []
    return [
        {**h, "value": secret()} if _is_token(h.get("value")) else dict(h)
        for h in headers
        if isinstance(h, Mapping)
    ]


def _is_token(value: object) -> bool:
    return isinstance(value, str) and (value.startswith(TOKEN_PREFIX) or value == UNSET)
