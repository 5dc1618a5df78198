"""interform.yaml → `Project`, with every problem positioned in the file.

Beyond the schema: credentials written into the file are refused (the file is
committed), and `defaults:` is validated as a partial definition so a typo there is
reported once, at its own line, instead of once per definition.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from interform import __version__, platforms, secrets
from interform.config.issues import Issue, YamlPath
from interform.config.rules import unknown_language
from interform.config.source import SourceError, parse_mapping, read_source
from interform.config.variables import looks_like_secret
from interform.config.version_pin import version_issues
from interform.config.webhooks import webhook_issues
from interform.errors import Problem, UserError
from interform.model.definition import Definition
from interform.model.project import Project
from interform.paths import settings_problems
from interform.project_root import PROJECT_FILE

_CREDENTIAL_KEY: Final = re.compile(
    r"api[_-]?key|apikey|token|secret|passw|credential|bearer|jwt|^key$|^auth", re.IGNORECASE
)


def load_project(root: Path) -> Project:
    """Parse and validate `root/interform.yaml`. Raises UserError with every problem."""
    try:
        source = read_source(root / PROJECT_FILE, PROJECT_FILE)
        data = parse_mapping(source, "the project settings")
    except SourceError as err:
        raise UserError([err.problem]) from None
    pinned = version_issues(data, __version__)
    if pinned:  # another version's settings may mean something else: read no further
        raise UserError(_positioned(source.text, pinned))
    issues, cleaned = credential_issues(data)
    project: Project | None = None
    try:
        project = Project.model_validate(cleaned)
    except ValidationError as err:
        # error-only code loads when there is a problem (docs/architecture.md, Speed)
        from interform.config.schema_errors import schema_issues

        issues += schema_issues(err, Project, echo=False)
    issues += defaults_issues(data.get("defaults"))
    if project is not None:
        issues += path_issues(root, project) + webhook_issues(project)
        issues += company_issues(project)
    if issues:
        raise UserError(_positioned(source.text, issues))
    assert project is not None
    return project


def _positioned(text: str, issues: list[Issue]) -> list[Problem]:
    from interform.config.positions import Locator, problems_at  # error-only: see above

    return problems_at(PROJECT_FILE, Locator(text), issues)


def path_issues(root: Path, project: Project) -> list[Issue]:
    """`lockfile:` and `interviews:` stay inside the project and off each other's files."""
    found = settings_problems(Path(os.path.realpath(root)), project.lockfile, project.interviews)
    fixes = {
        "lockfile": "name a file beside interform.yaml, e.g. lockfile: interform.lock",
        "interviews": "name a directory inside the project, e.g. interviews: interviews",
    }
    return [
        Issue((name,), f"{name}: {problem}", fixes[name]) for name, problem in sorted(found.items())
    ]


def company_issues(project: Project) -> list[Issue]:
    """`company_id` only on a platform whose partner keys name a company on every call."""
    issues = []
    for name, target in project.targets.items():
        platform = platforms.get(target.provider)
        if target.company_id and not platform.company_param:
            issues.append(
                Issue(
                    ("targets", name, "company_id"),
                    f"{platform.display} keys do not name a company: company_id is not sent",
                    "remove company_id (only Instaview ATS keys need it)",
                    at_key=True,
                )
            )
    return issues


def credential_issues(data: dict[Any, Any]) -> tuple[list[Issue], dict[Any, Any]]:
    """Credentials under targets, and the data with them removed (so the schema does not
    report them a second time as unknown keys). Every value found is registered as a
    secret, so no later output can print it."""
    targets = data.get("targets")
    if not isinstance(targets, dict):
        return [], data
    issues: list[Issue] = []
    kept_targets: dict[Any, Any] = {}
    for name, target in targets.items():
        if not isinstance(target, dict):
            kept_targets[name] = target
            continue
        kept: dict[Any, Any] = {}
        for key, value in target.items():
            issue = _credential_issue(name, target, key, value)
            if issue is None:
                kept[key] = value
            else:
                issues.append(issue)
                if isinstance(value, str):
                    secrets.register(value)
        kept_targets[name] = kept
    return issues, {**data, "targets": kept_targets}


def _credential_issue(name: Any, target: dict[Any, Any], key: Any, value: Any) -> Issue | None:
    known = platforms.registry().get(str(target.get("provider")))
    variable = known.credential_env if known else "MY_API_KEY"
    path: YamlPath = ("targets", str(name), str(key))
    if key == "credential_env":
        if isinstance(value, str) and looks_like_secret(value):
            return Issue(
                path,
                f"targets.{name}.credential_env looks like a credential, not the name of an "
                "environment variable",
                f"put the credential in an environment variable and write its name here, "
                f"e.g. credential_env: {variable}",
            )
        return None
    if key == "base_url" and isinstance(value, str) and _userinfo(value):
        for part in _userinfo(value):
            secrets.register(part)
        return Issue(
            path,
            f"targets.{name}.base_url carries a user name or password (user:password@): "
            f"credentials must not be written in {PROJECT_FILE} (it is committed to git)",
            f"remove them from the URL and set the environment variable {variable} instead",
        )
    if isinstance(key, str) and _CREDENTIAL_KEY.search(key):
        return Issue(
            path,
            f"targets.{name}.{key}: credentials must not be written in {PROJECT_FILE} "
            "(it is committed to git)",
            f"remove it and set the environment variable {variable} instead "
            "(or name another one with credential_env:)",
            at_key=True,
        )
    return None


def _userinfo(url: str) -> list[str]:
    """The user name and password in `url`'s authority (`scheme://user:pass@host/`)."""
    authority = url.partition("://")[2].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    info, at, _ = authority.rpartition("@")
    if not at:
        return []
    user, _, password = info.partition(":")
    return [part for part in (info, user, password) if part]


def defaults_issues(defaults: Any) -> list[Issue]:
    """`defaults:` as a partial definition: every key must be a definition key with a
    valid value; `title` (required in a definition) may be left out."""
    if not isinstance(defaults, dict):
        return []  # the schema reports a non-mapping
    try:
        Definition.model_validate({"title": "defaults", **defaults})
    except ValidationError as err:
        from interform.config.schema_errors import schema_issues  # error-only: see above

        return schema_issues(err, Definition, prefix=("defaults",))
    language = defaults.get("language")
    if isinstance(language, str):
        return [Issue(("defaults", *i.path), i.message, i.fix) for i in unknown_language(language)]
    return []
