"""What `interform validate` checks in a definition deployed to JobMojito, beyond its
schema (limits stated only in prose, either-or fields). Each rule yields `Issue`s; the
registry adds `RULES` to the core rules of `interform.config.rules`."""

from __future__ import annotations

import re
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


_UUID: Final = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


def jobmojito_languages(ctx: RuleContext) -> Iterator[Issue]:
    """Per-question and PDF-report languages: codes JobMojito has, like `language`."""
    if not ctx.targeted("jobmojito"):
        return
    settings = section(ctx.definition, "jobmojito")
    wanted: list[tuple[tuple[str | int, ...], str | None]] = [
        (("questions", i, "jobmojito", "mojito_language_code"), q.jobmojito.mojito_language_code)
        for i, q in enumerate(ctx.definition.questions)
        if q.jobmojito is not None
    ]
    pdf = settings.pdf_export_auto_config
    if pdf is not None:
        wanted.append(
            (
                ("jobmojito", "pdf_export_auto_config", "mojito_language_code"),
                pdf.mojito_language_code,
            )
        )
    for path, code in wanted:
        if code is None or languages.to_platform(code, "jobmojito") is not None:
            continue
        close = languages.nearest(code, "jobmojito")
        fix = f"use one JobMojito has, such as {', '.join(close or ['en'])}"
        yield Issue(path, f'language "{code}" is not one {ctx.on("jobmojito")} has', fix)


def jobmojito_references(ctx: RuleContext) -> Iterator[Issue]:
    """What JobMojito would read as something else: a `code` shaped like interform's
    marker (it would be taken for another object's), a question id shaped like a stored
    question's real id (job-interview-update matches on it), and the attempts hidden in
    custom_scoring (interview_attempts sets them)."""
    if not ctx.targeted("jobmojito"):
        return
    settings = section(ctx.definition, "jobmojito")
    if settings.code is not None and settings.code.startswith("interform:"):
        yield Issue(
            ("jobmojito", "code"),
            'jobmojito.code starts with "interform:", the prefix of interform\'s ownership markers',
            "use your own reference, e.g. the ATS requisition id",
        )
    for i, question in enumerate(ctx.definition.questions):
        if question.id is not None and _UUID.match(question.id):
            yield Issue(
                ("questions", i, "id"),
                f'question id "{question.id}" has the shape of a JobMojito question id, '
                "which job-interview-update would match",
                "use an id that is not a UUID, e.g. ATS-Q1",
            )
    if settings.custom_scoring is not None and "max_retries" in settings.custom_scoring:
        yield Issue(
            ("jobmojito", "custom_scoring", "max_retries"),
            "custom_scoring.max_retries is what interview_attempts sets",
            "move it to jobmojito.interview_attempts",
        )


RULES: Final[tuple[Rule, ...]] = (
    jobmojito_signing_key_file,
    jobmojito_required,
    jobmojito_ranges,
    jobmojito_pronunciation,
    jobmojito_languages,
    jobmojito_references,
)
