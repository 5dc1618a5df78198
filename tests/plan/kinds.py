"""Fake capability declarations shaped like the four platforms' (tests must not depend on
the real adapters' choices, which may change for their own reasons)."""

from __future__ import annotations

from interform.providers.base import KindSpec, Policy, Removal

MICRO1 = KindSpec(
    kind="interview",
    label="micro1 interview",
    session=False,
    updatable=True,
    removal=Removal.DELETE,
    readable=True,
    discoverable=True,
    marker=None,
    questions_field="custom_question_list",
    question_text_key="question",
)
JOBMOJITO = KindSpec(
    kind="interview",
    label="JobMojito interview",
    session=False,
    updatable=True,
    removal=Removal.SOFT_DELETE,
    readable=True,
    discoverable=True,
    marker="code",
    fields={
        "welcome_message": Policy.REPLACE,
        "thank_you_message": Policy.REPLACE,
        "embed_signing_key_file": Policy.IGNORE,
    },
    questions_field="questions",
    question_id_key="external_id",
    question_text_key="question",
)
INSTAVIEW_AGENT = KindSpec(
    kind="agent",
    label="Instaview agent",
    session=False,
    updatable=True,
    removal=Removal.DELETE,
    readable=True,
    discoverable=True,
    marker=None,
    fields={"type": Policy.REPLACE},
    questions_field="questions",
)
INSTAVIEW_SESSION = KindSpec(
    kind="session",
    label="Instaview session",
    session=True,
    updatable=False,
    removal=Removal.DELETE,
    readable=True,
    discoverable=False,
    marker="metadata",
)
VERSIVE_STUDY = KindSpec(
    kind="study",
    label="Versive study",
    session=False,
    updatable=True,
    removal=Removal.FORGET,
    readable=False,
    discoverable=False,
    marker="metadata",
    fields={"config": Policy.UPDATE, "metadata": Policy.UPDATE},
    default_policy=Policy.REPLACE,
)
VERSIVE_SESSION = KindSpec(
    kind="session",
    label="Versive session",
    session=True,
    updatable=False,
    removal=Removal.FORGET,
    readable=True,
    discoverable=False,
    marker="metadata",
)

SPECS: dict[tuple[str, str], KindSpec] = {
    ("micro1", "interview"): MICRO1,
    ("jobmojito", "interview"): JOBMOJITO,
    ("instaview", "agent"): INSTAVIEW_AGENT,
    ("instaview", "session"): INSTAVIEW_SESSION,
    ("versive", "study"): VERSIVE_STUDY,
    ("versive", "session"): VERSIVE_SESSION,
}
