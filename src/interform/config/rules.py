"""Pass 3: rules the schema cannot express — limits the platforms state only in prose,
either-or fields, references between questions, targets named in interform.yaml.

One small function per rule; each yields `Issue`s (a YAML path into the merged
definition, what is wrong, how to fix it) and `check` runs them all. Rules see the
definition after project defaults were merged, and the project's targets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from interform.config.issues import Issue, suggest
from interform.errors import shown
from interform.model import languages, limits
from interform.model.address import DEFINITION_RE, resource_address
from interform.model.definition import (
    IGNORE_PATH,
    SECTIONS,
    Definition,
    InstaviewSession,
    InstaviewSettings,
    parse_path,
    section,
    section_models,
)
from interform.model.project import Target
from interform.paths import lexical_claim, relative_problem

DISPLAY: Final = {
    "micro1": "micro1",
    "jobmojito": "JobMojito",
    "instaview": "Instaview",
    "versive": "Versive",
}
# platforms whose questions can be conditional follow-ups of an earlier answer
CONDITIONAL_QUESTIONS: Final = frozenset({"jobmojito"})

MICRO1_MAX_SKILLS: Final = 10
MICRO1_MAX_QUESTIONS: Final = 20
MICRO1_ANSWER_TIME: Final = (60, 240)
JOBMOJITO_ATTEMPTS: Final = (1, 20)
JOBMOJITO_RANDOM_SUBSET: Final = (0.01, 0.9)
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
        return f"{DISPLAY[provider]} (target {names})"


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
    for provider in SECTIONS:
        if provider in ctx.file_keys and not ctx.targeted(provider):
            yield Issue(
                (provider,),
                f"{provider} settings, but no target of this definition is on {DISPLAY[provider]}",
                f"add a target on {DISPLAY[provider]} to targets, or remove the section",
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
        elif head in SECTIONS and len(path) > 1:
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
    unsupported = [p for p in ctx.providers if p not in CONDITIONAL_QUESTIONS]
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


# ----------------------------------------------------------------------------- micro1


def micro1_limits(ctx: RuleContext) -> Iterator[Issue]:
    if not ctx.targeted("micro1"):
        return
    defn, on = ctx.definition, ctx.on("micro1")
    if len(defn.skills) > MICRO1_MAX_SKILLS:
        yield Issue(
            ("skills", MICRO1_MAX_SKILLS),
            f"{len(defn.skills)} skills; {on} allows at most {MICRO1_MAX_SKILLS}",
            f"keep the {MICRO1_MAX_SKILLS} that matter most",
        )
    if len(defn.questions) > MICRO1_MAX_QUESTIONS:
        yield Issue(
            ("questions", MICRO1_MAX_QUESTIONS),
            f"{len(defn.questions)} questions; {on} allows at most {MICRO1_MAX_QUESTIONS}",
            "split the interview or drop questions",
        )
    low, high = MICRO1_ANSWER_TIME
    for i, question in enumerate(defn.questions):
        seconds = question.answer_time
        if seconds is not None and not low <= seconds <= high:
            yield Issue(
                ("questions", i, "answer_time"),
                f"answer_time is {seconds}s; {on} allows 1 to 4 minutes",
                f"use {low} to {high} seconds (1m to 4m)",
            )


# ----------------------------------------------------------------------------- JobMojito


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
    if choice is None or choice.code in languages.JOBMOJITO_PRONUNCIATION:
        return  # an unsupported language is reported by language_supported
    scored = ", ".join(sorted(languages.JOBMOJITO_PRONUNCIATION))
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


# ----------------------------------------------------------------------------- Instaview


def _sessions(ctx: RuleContext) -> Iterator[tuple[InstaviewSettings, int, InstaviewSession]]:
    if ctx.targeted("instaview"):
        settings: InstaviewSettings = section(ctx.definition, "instaview")
        for i, session in enumerate(settings.sessions):
            yield settings, i, session


def _session_path(i: int, *rest: str) -> tuple[str | int, ...]:
    return ("instaview", "sessions", i, *rest)


def instaview_session_names_unique(ctx: RuleContext) -> Iterator[Issue]:
    seen: set[str] = set()
    for _, i, session in _sessions(ctx):
        if session.name in seen:
            yield Issue(
                _session_path(i, "name"),
                f'session name "{session.name}" is used twice',
                "give each session its own name (it is part of the session's address)",
            )
        seen.add(session.name)


def instaview_candidates(ctx: RuleContext) -> Iterator[Issue]:
    for _, i, session in _sessions(ctx):
        if session.candidate_id is not None and session.candidate is not None:
            yield Issue(
                _session_path(i, "candidate_id"),
                f'session "{session.name}" sets both candidate_id and candidate',
                "keep candidate_id for an existing candidate, or candidate: to create one",
            )
        elif session.candidate_id is None and session.candidate is None:
            yield Issue(
                _session_path(i),
                f'session "{session.name}" has no candidate',
                "add candidate_id: (existing) or candidate: (first_name, last_name, email, "
                "gdpr_expiry_date)",
                at_key=True,
            )
        candidate = session.candidate
        if candidate is not None and not (candidate.email or candidate.phone_number):
            yield Issue(
                _session_path(i, "candidate"),
                f'the candidate of session "{session.name}" has neither email nor phone_number',
                "add email: or phone_number: so Instaview can reach the candidate",
                at_key=True,
            )


def instaview_job_sources(ctx: RuleContext) -> Iterator[Issue]:
    for settings, i, session in _sessions(ctx):
        if settings.job is not None and session.job_id is not None:
            yield Issue(
                _session_path(i, "job_id"),
                f'session "{session.name}" sets job_id while instaview.job creates a job',
                "keep one: job_id for an existing job, or the inline instaview.job",
            )
        candidate = session.candidate
        if candidate is not None and candidate.job_id is not None:
            others = [
                name
                for name, value in (
                    ("job_id", session.job_id),
                    ("instaview.job_id", settings.job_id),
                    ("instaview.job", settings.job),
                )
                if value is not None
            ]
            if others:
                yield Issue(
                    _session_path(i, "candidate", "job_id"),
                    f"candidate.job_id cannot be combined with {' and '.join(others)}",
                    "choose one way to give the session its job",
                )
    if ctx.targeted("instaview"):
        settings = section(ctx.definition, "instaview")
        if settings.job is not None and settings.job_id is not None:
            yield Issue(
                ("instaview", "job_id"),
                "instaview sets both job_id and job",
                "keep job_id for an existing job, or job: to create one with each session",
            )


def instaview_focus_and_job(ctx: RuleContext) -> Iterator[Issue]:
    if not ctx.targeted("instaview"):
        return
    settings: InstaviewSettings = section(ctx.definition, "instaview")
    if settings.focus == "GENERIC":
        yield from _generic_without_job(settings)
        return
    for _, i, session in _sessions(ctx):
        if session.candidate is None:
            continue  # an existing candidate may already have its job
        sources = (session.job_id, settings.job_id, settings.job, session.candidate.job_id)
        if all(source is None for source in sources):
            yield Issue(
                _session_path(i, "candidate"),
                f'session "{session.name}" creates a candidate but has no job '
                f"({settings.focus} agents need one)",
                "set instaview.job_id, instaview.job, the session's job_id or candidate.job_id",
                at_key=True,
            )


def _generic_without_job(settings: InstaviewSettings) -> Iterator[Issue]:
    fix = "remove it: a GENERIC agent interviews without a job (or change instaview.focus)"
    message = "a GENERIC-focus agent takes no job"
    if settings.job_id is not None:
        yield Issue(("instaview", "job_id"), message, fix)
    if settings.job is not None:
        yield Issue(("instaview", "job"), message, fix, at_key=True)
    for i, session in enumerate(settings.sessions):
        if session.job_id is not None:
            yield Issue(_session_path(i, "job_id"), message, fix)
        if session.candidate is not None and session.candidate.job_id is not None:
            yield Issue(_session_path(i, "candidate", "job_id"), message, fix)


def instaview_schedule(ctx: RuleContext) -> Iterator[Issue]:
    for _, i, session in _sessions(ctx):
        when = session.schedule_time
        if when is None:
            continue
        path = _session_path(i, "schedule_time")
        if when.tzinfo is None:
            yield Issue(
                path,
                "schedule_time has no time zone",
                "add Z (UTC) or an offset such as +02:00",
            )
            continue
        breach = limits.instaview_schedule(when, ctx.now)
        if breach is not None and not _scheduled_already(ctx, session.name, when):
            yield Issue(path, f"schedule_time {breach.message}", breach.fix)


def _scheduled_already(ctx: RuleContext, session: str, when: datetime) -> bool:
    """The lockfile records this session as created with this very schedule_time: that
    it has passed since only means the interview took place."""
    from interform.isotime import parse_iso

    sent = [
        ctx.applied(resource_address(ctx.address, target, session))
        for target in ctx.providers.get("instaview", [])
    ]
    return bool(sent) and all(
        s is not None and parse_iso(s.get("scheduleTime")) == when for s in sent
    )


def instaview_metadata(ctx: RuleContext) -> Iterator[Issue]:
    """The session's metadata as Instaview receives it, with the ownership marker."""
    from interform.providers.base import METADATA_MARKER_KEY, make_marker, metadata_with_marker

    for _, i, session in _sessions(ctx):
        if not session.metadata:
            continue
        path = _session_path(i, "metadata")
        if METADATA_MARKER_KEY in session.metadata:
            yield Issue(
                (*path, METADATA_MARKER_KEY),
                f'the metadata key "{METADATA_MARKER_KEY}" of session "{session.name}" is '
                "where interform keeps its ownership marker",
                "rename the key",
                at_key=True,
            )
        # the longest address makes the longest marker, so every target's fits if it does
        target = max(ctx.providers["instaview"], key=len)
        address = resource_address(ctx.address, target, session.name)
        marker = make_marker(ctx.project or LINEAGE_STAND_IN, address)
        for breach in limits.instaview_metadata(metadata_with_marker(session.metadata, marker)):
            message = f'the metadata of session "{session.name}" {breach.message}'
            yield Issue(path, message, breach.fix, at_key=True)


def reads_clock(ctx: RuleContext) -> bool:
    """A rule compared this definition with the clock (`instaview_schedule`): its
    verdict can change with time alone, so a clean result must not be reused."""
    return any(session.schedule_time is not None for _, _, session in _sessions(ctx))


def instaview_questions(ctx: RuleContext) -> Iterator[Issue]:
    if ctx.targeted("instaview") and not ctx.definition.questions:
        yield Issue(
            ("questions",), f"{ctx.on('instaview')} needs at least one question", "add questions:"
        )


# ----------------------------------------------------------------------------- Versive


def versive_participant_names_unique(ctx: RuleContext) -> Iterator[Issue]:
    if not ctx.targeted("versive"):
        return
    seen: set[str] = set()
    for i, participant in enumerate(section(ctx.definition, "versive").participants):
        if participant.name in seen:
            yield Issue(
                ("versive", "participants", i, "name"),
                f'participant name "{participant.name}" is used twice',
                "give each participant its own name (it is part of the link's address)",
            )
        seen.add(participant.name)


def versive_study(ctx: RuleContext) -> Iterator[Issue]:
    if not ctx.targeted("versive"):
        return
    settings = section(ctx.definition, "versive")
    if settings.study_id is not None and settings.study is not None:
        yield Issue(
            ("versive", "study_id"),
            "versive sets both study_id and study",
            "keep study_id to use an existing study, or study: for one interform manages",
        )
    elif settings.study_id is None and settings.study is None:
        what = "its participants need" if settings.participants else "it needs"
        yield Issue(
            ("versive",),
            f"{ctx.on('versive')}: {what} a study",
            "add versive.study_id (an existing study) or a versive.study: block",
            at_key=True,
        )


RULES: Final[tuple[Rule, ...]] = (
    jobmojito_signing_key_file,
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
    micro1_limits,
    jobmojito_required,
    jobmojito_ranges,
    jobmojito_pronunciation,
    jobmojito_languages,
    jobmojito_references,
    instaview_session_names_unique,
    instaview_candidates,
    instaview_job_sources,
    instaview_focus_and_job,
    instaview_schedule,
    instaview_metadata,
    instaview_questions,
    versive_participant_names_unique,
    versive_study,
)


def check(ctx: RuleContext) -> list[Issue]:
    return [issue for rule in RULES for issue in rule(ctx)]
