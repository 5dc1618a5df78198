"""What `interform validate` checks in a definition deployed to JobMojito, beyond its
schema (limits stated only in prose, either-or fields). Each rule yields `Issue`s; the
registry adds `RULES` to the core rules of `interform.config.rules`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from interform.config.issues import Issue
from interform.config.rules import Rule, RuleContext
from interform.errors import shown
from interform.model import languages
from interform.model.definition import section
from interform.paths import lexical_claim, relative_problem
from interform.providers.jobmojito.languages import PRONUNCIATION

JOBMOJITO_ATTEMPTS: Final = (1, 20)


JOBMOJITO_RANDOM_SUBSET: Final = (0.01, 0.9)


def jobmojito_signing_key_file(ctx: RuleContext) -> Iterator[Issue]:
    """The key file stays in the project and off interform's own files (judged on the
    text here; plan checks the disk: symbolic links, and whether git would commit it)."""
    embed = section(ctx.definition, "jobmojito").embed
    value = embed.signing_key_file if embed is not None else None
    if value is None or not ctx.targeted("jobmojito"):
        return
    problem = relative_problem(value)
    if problem is None:
        claim = lexical_claim(value, ctx.lockfile, ctx.interviews)
        problem = f"{shown(value)} {claim}" if claim else None
    if problem is not None:
        yield Issue(
            ("jobmojito", "embed", "signing_key_file"),
            f"jobmojito.embed.signing_key_file: {problem}",
            "name a git-ignored file inside the project, e.g. secrets/embed.key",
        )


def jobmojito_required(ctx: RuleContext) -> Iterator[Issue]:
    if not ctx.targeted("jobmojito"):
        return
    defn, on = ctx.definition, ctx.on("jobmojito")
    if section(defn, "jobmojito").interview_template_id is None:
        yield Issue(
            ("jobmojito", "interview_template_id"),
            f"{on} needs jobmojito.interview_template_id (the avatar template)",
            "set it here or under defaults: jobmojito: in interform.yaml",
        )
    if not (defn.description or "").strip():
        yield Issue(
            ("description",),
            f"{on} needs a description",
            "add description: with a sentence about the role",
        )
    if not defn.questions:
        yield Issue(("questions",), f"{on} needs at least one question", "add questions:")


def jobmojito_ranges(ctx: RuleContext) -> Iterator[Issue]:
    if not ctx.targeted("jobmojito"):
        return
    settings = section(ctx.definition, "jobmojito")
    attempts, subset = settings.interview_attempts, settings.questions_random_subset
    if attempts is not None and not JOBMOJITO_ATTEMPTS[0] <= attempts <= JOBMOJITO_ATTEMPTS[1]:
        yield Issue(
            ("jobmojito", "interview_attempts"),
            f"jobmojito.interview_attempts is {attempts}; JobMojito allows 1 to 20",
            "use a number of attempts from 1 to 20",
        )
    low, high = JOBMOJITO_RANDOM_SUBSET
    if subset is not None and not low <= subset <= high:
        yield Issue(
            ("jobmojito", "questions_random_subset"),
            f"jobmojito.questions_random_subset is {subset}; JobMojito allows {low} to {high}",
            "use a fraction such as 0.5 (half of the questions, picked at random)",
        )


def jobmojito_pronunciation(ctx: RuleContext) -> Iterator[Issue]:
    """JobMojito "restricts [required_pronunciation] to pronunciation-capable languages"."""
    if not ctx.targeted("jobmojito"):
        return
    if section(ctx.definition, "jobmojito").required_pronunciation is not True:
        return
    choice = languages.for_platform(ctx.definition.language, "jobmojito")
    if choice is None or choice.code in PRONUNCIATION:
        return  # an unsupported language is reported by language_supported
    scored = ", ".join(sorted(PRONUNCIATION))
    yield Issue(
        ("jobmojito", "required_pronunciation"),
        f"{ctx.on('jobmojito')} scores no pronunciation in {languages.name_of(choice.code)} "
        f"({choice.code})",
        f"remove required_pronunciation, or use a language it scores: {scored}",
    )


RULES: Final[tuple[Rule, ...]] = (
    jobmojito_signing_key_file,
    jobmojito_required,
    jobmojito_ranges,
    jobmojito_pronunciation,
)
