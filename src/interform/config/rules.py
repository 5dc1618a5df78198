"""Pass 3: rules the schema cannot express — limits the platforms state only in prose,
either-or fields, references between questions, targets named in interform.yaml.

One small function per rule; each yields `Issue`s (a YAML path into the merged
definition, what is wrong, how to fix it) and `check` runs them all. Rules see the
definition after project defaults were merged, and the project's targets.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from types import ModuleType
from typing import Any, Final

from interform import platforms
from interform.config.issues import Issue, suggest
from interform.model import languages
from interform.model.address import DEFINITION_RE
from interform.model.definition import IGNORE_PATH, Definition, parse_path, section_models
from interform.model.project import Target

# stands for the lockfile lineage in markers when interform.yaml names no project
LINEAGE_STAND_IN: Final = "0" * 36

# the request last applied at a resource address (None: nothing recorded there)
Applied = Callable[[str], "Mapping[str, Any] | None"]


def nothing_applied(_address: str) -> Mapping[str, Any] | None:
    return None


@dataclass(frozen=True)
class RuleContext:
    address: str
    definition: Definition
    targets: Mapping[str, Target]  # every target of interform.yaml
    file_keys: frozenset[str]  # top-level keys written in the definition file itself
    now: datetime
    # provider -> names of this definition's targets on it (known targets only)
    providers: dict[str, list[str]] = field(default_factory=dict)
    project: str | None = None  # `project:` of interform.yaml, for ownership markers
    # what the lockfile records as sent: a rule about the moment of creation (a
    # schedule in the past) does not hold against what was created back then
    applied: Applied = nothing_applied
    # interform.yaml's own paths: no other setting may name them
    lockfile: str = "interform.lock"
    interviews: str = "interviews"

    @classmethod
    def build(
        cls,
        address: str,
        definition: Definition,
        targets: Mapping[str, Target],
        file_keys: frozenset[str],
        now: datetime,
        *,
        project: str | None = None,
        applied: Applied = nothing_applied,
        paths: tuple[str, str] = ("interform.lock", "interviews"),
    ) -> RuleContext:
        """`paths` are interform.yaml's `lockfile:` and `interviews:`."""
        providers: dict[str, list[str]] = {}
        for name in definition.targets:
            if name in targets:
                providers.setdefault(targets[name].provider, []).append(name)
        return cls(
            address, definition, targets, file_keys, now, providers, project, applied, *paths
        )

    def targeted(self, provider: str) -> bool:
        return provider in self.providers

    def on(self, provider: str) -> str:
        """`JobMojito (target jm)` for messages."""
        names = ", ".join(self.providers.get(provider, []))
        return f"{platforms.display(provider)} (target {names})"


Rule = Callable[[RuleContext], Iterator[Issue]]


# ----------------------------------------------------------------------------- targets


def targets_present(ctx: RuleContext) -> Iterator[Issue]:
    if not ctx.definition.targets:
        have = ", ".join(sorted(ctx.targets))
        fix = (
            f"add targets: [NAME] with a target from interform.yaml ({have})"
            if have
            else "define a target under targets: in interform.yaml, then list it here"
        )
        yield Issue(("targets",), "no targets: this definition deploys nowhere", fix)


def targets_known(ctx: RuleContext) -> Iterator[Issue]:
    for i, name in enumerate(ctx.definition.targets):
        if name not in ctx.targets:
            yield Issue(
                ("targets", i),
                f'target "{name}" is not defined in interform.yaml',
                suggest(name, ctx.targets, "defined targets") or "add it under targets:",
            )


def targets_unique(ctx: RuleContext) -> Iterator[Issue]:
    seen: set[str] = set()
    for i, name in enumerate(ctx.definition.targets):
        if name in seen:
            yield Issue(("targets", i), f'target "{name}" is listed twice', "remove one")
        seen.add(name)


def sections_match_targets(ctx: RuleContext) -> Iterator[Issue]:
    """A platform section with no target on that platform is most likely a typo in
    targets. Only sections written in the file count: defaults apply to every file."""
    if not ctx.definition.targets or any(t not in ctx.targets for t in ctx.definition.targets):
        return  # the target problems are reported; this would only repeat them
    for provider in platforms.names():
        if provider in ctx.file_keys and not ctx.targeted(provider):
            shown = platforms.display(provider)
            yield Issue(
                (provider,),
                f"{provider} settings, but no target of this definition is on {shown}",
                f"add a target on {shown} to targets, or remove the section",
                at_key=True,
            )
    if "questions" in ctx.file_keys and not ctx.targeted("jobmojito"):
        for i, question in enumerate(ctx.definition.questions):
            if question.jobmojito is not None:
                yield Issue(
                    ("questions", i, "jobmojito"),
                    "JobMojito question options, but no target of this definition is on JobMojito",
                    "add a target on JobMojito to targets, or remove the options",
                    at_key=True,
                )


def moved_from_valid(ctx: RuleContext) -> Iterator[Issue]:
    old = ctx.definition.moved_from
    if old is None:
        return
    if not DEFINITION_RE.match(old):
        yield Issue(
            ("moved_from",),
            f'moved_from "{old}" is not a definition address',
            "write the old path under interviews/ without the extension, e.g. team/old-name",
        )
    elif old == ctx.address:
        yield Issue(
            ("moved_from",),
            "moved_from names this definition itself",
            "set it to the address the file had before it was renamed, or remove it",
        )


# settings about the definition itself, never sent to a platform
NOT_SENT: Final = frozenset({"targets", "protect", "moved_from", "ignore_changes"})


def ignore_changes_valid(ctx: RuleContext) -> Iterator[Issue]:
    """Each path starts at a setting a platform receives; a platform section's path names
    one of its settings. (Whether a target is sent it is checked when rendering.)"""
    fields = {name for name in Definition.model_fields if name not in NOT_SENT}
    for i, text in enumerate(ctx.definition.ignore_changes):
        path = parse_path(text)
        head = str(path[0]) if path else ""
        if not re.match(IGNORE_PATH, text):
            yield Issue(
                ("ignore_changes", i),
                f'"{text}" is not a path into the definition',
                "write it as interform prints paths, e.g. instaview.job.description or "
                "questions[2].text",
            )
        elif head not in fields:
            fix = suggest(head, fields, "a path starting at one of")
            yield Issue(("ignore_changes", i), f'"{text}" is not a setting of a definition', fix)
        elif head in section_models() and len(path) > 1:
            model = section_models()[head]
            if str(path[1]) not in model.model_fields:
                fix = suggest(str(path[1]), model.model_fields, f"one of the {head} settings")
                yield Issue(
                    ("ignore_changes", i), f'"{text}" is not one of the {head} settings', fix
                )


# ----------------------------------------------------------------------------- language


def language_known(ctx: RuleContext) -> Iterator[Issue]:
    yield from unknown_language(ctx.definition.language)


def unknown_language(code: str) -> list[Issue]:
    """An issue when `code` is not a language code; English names suggest their code."""
    if languages.is_known(code):
        return []
    by_name = [c for c in languages.CODES if languages.name_of(c).lower() == code.lower()]
    close = by_name or languages.nearest(code)
    fix = f"use a language code such as {', '.join(close or ['en'])}"
    return [Issue(("language",), f'unknown language code "{code}"', fix)]


def language_supported(ctx: RuleContext) -> Iterator[Issue]:
    code = ctx.definition.language
    if not languages.is_known(code):
        return
    for provider in ctx.providers:
        if languages.to_platform(code, provider) is None:
            close = languages.nearest(code, provider)
            fix = f"supported there: {', '.join(close)}" if close else "choose another language"
            yield Issue(
                ("language",),
                f'language "{code}" ({languages.name_of(code)}) is not supported by '
                f"{ctx.on(provider)}",
                fix,
            )


# ----------------------------------------------------------------------------- questions


def question_ids_unique(ctx: RuleContext) -> Iterator[Issue]:
    first: dict[str, int] = {}
    for i, question in enumerate(ctx.definition.questions):
        if question.id is None:
            continue
        if question.id in first:
            yield Issue(
                ("questions", i, "id"),
                f'question id "{question.id}" is already used by questions[{first[question.id]}]',
                "give each question its own id",
            )
        first.setdefault(question.id, i)


def follow_ups_refer_back(ctx: RuleContext) -> Iterator[Issue]:
    questions = ctx.definition.questions
    for i, question in enumerate(questions):
        parent = question.follow_up_to
        if parent is None:
            continue
        earlier = [q.id for q in questions[:i] if q.id is not None]
        if parent in earlier:
            continue
        path = ("questions", i, "follow_up_to")
        if parent == question.id:
            yield Issue(path, "a question cannot be a follow-up to itself", "name an earlier id")
        elif any(q.id == parent for q in questions[i + 1 :]):
            yield Issue(
                path,
                f'follow_up_to "{parent}" refers to a later question',
                f'move question "{parent}" before this one: the parent is asked first',
            )
        else:
            yield Issue(
                path,
                f'follow_up_to "{parent}" matches no earlier question id',
                suggest(parent, earlier, "earlier ids") or "give the parent question an id",
            )


def follow_ups_supported(ctx: RuleContext) -> Iterator[Issue]:
    unsupported = [p for p in ctx.providers if not platforms.get(p).conditional_questions]
    if not unsupported:
        return
    for i, question in enumerate(ctx.definition.questions):
        if question.follow_up_to is not None:
            yield Issue(
                ("questions", i, "follow_up_to"),
                "follow-up questions need conditional questions, which "
                f"{ctx.on(unsupported[0])} does not have",
                "remove follow_up_to, or deploy this definition to JobMojito only",
            )


# ----------------------------------------------------------------------------- JobMojito


# ----------------------------------------------------------------------------- Versive


CORE_RULES: Final[tuple[Rule, ...]] = (
    targets_present,
    targets_known,
    targets_unique,
    sections_match_targets,
    moved_from_valid,
    ignore_changes_valid,
    language_known,
    language_supported,
    question_ids_unique,
    follow_ups_refer_back,
    follow_ups_supported,
)


def _platform_module(name: str) -> ModuleType | None:
    reference = platforms.get(name).rules
    return None if reference is None else importlib.import_module(reference)


@cache
def platform_rules(name: str) -> tuple[Rule, ...]:
    """A platform's own rules (`RULES` of its rules module): they judge a definition that
    targets the platform, and only then are they run (and their module imported)."""
    return tuple(getattr(_platform_module(name), "RULES", ()))


def rules_for(names: Iterable[str]) -> list[Rule]:
    """The core rules, then those of the platforms `names`, in the order given."""
    return [*CORE_RULES, *(rule for name in names for rule in platform_rules(name))]


def all_rules() -> list[Rule]:
    """Every rule a definition can be judged by: the core rules, then each platform's."""
    return rules_for(platforms.names())


def reads_clock(ctx: RuleContext) -> bool:
    """A platform's rule compared this definition with the clock (its rules module's
    `reads_clock`): the verdict can change with time alone, so a clean result must not be
    reused."""
    for name in ctx.providers:
        clock_rule = getattr(_platform_module(name), "reads_clock", None)
        if clock_rule is not None and clock_rule(ctx):
            return True
    return False


def check(ctx: RuleContext) -> list[Issue]:
    """Every issue: the core rules', then those of each platform the definition targets
    (in the registry's order)."""
    targeted = (name for name in platforms.names() if name in ctx.providers)
    return [issue for rule in rules_for(targeted) for issue in rule(ctx)]
