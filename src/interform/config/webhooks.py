"""The `webhooks:` of each target in interform.yaml, beyond the schema: the platform
manages webhooks through its API, each event is one it sends, no event twice, and a
secret only where the platform can send one (its variable named, not the secret)."""

from __future__ import annotations

from interform.config.issues import Issue, suggest
from interform.config.variables import looks_like_secret
from interform.model.project import Project, Target
from interform.model.webhooks import DEFAULT_SECRET_HEADER, Webhook
from interform.providers import webhooks as shared


def webhook_issues(project: Project) -> list[Issue]:
    issues: list[Issue] = []
    for target_name, target in project.targets.items():
        for name, hook in target.webhooks.items():
            issues += _issues(target_name, target, name, hook)
    return issues


def _issues(target_name: str, target: Target, name: str, hook: Webhook) -> list[Issue]:
    path = shared.yaml_path(target_name, name)
    module = shared.platform(target.provider)
    if module is None:
        why = shared.unavailable(target.provider)
        fix = "configure it on the platform, and remove it here"
        return [Issue(path, f"targets.{target_name}.webhooks: {why}", fix, at_key=True)]
    issues = []
    seen: set[str] = set()
    for i, event in enumerate(hook.events):
        if event in seen:
            issues.append(
                Issue((*path, "events", i), f'event "{event}" is listed twice', "remove one")
            )
        elif event not in module.EVENTS:
            fix = suggest(event, module.EVENTS)
            message = f'"{event}" is not a {target.provider} webhook event'
            issues.append(Issue((*path, "events", i), message, fix))
        seen.add(event)
    if not module.SECRETS and (hook.secret_env or hook.secret_header != DEFAULT_SECRET_HEADER):
        key = "secret_env" if hook.secret_env else "secret_header"
        issues.append(
            Issue(
                (*path, key),
                f"{target.provider} documents no webhook secret or custom header, so no "
                "secret can be sent with its deliveries",
                f"remove {key} (check deliveries another way, e.g. an unguessable URL path)",
                at_key=True,
            )
        )
    if hook.secret_env and looks_like_secret(hook.secret_env):
        issues.append(
            Issue(
                (*path, "secret_env"),
                "secret_env looks like a secret, not the name of an environment variable",
                "put the secret in an environment variable and write its name here",
            )
        )
    return issues
