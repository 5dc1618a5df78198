"""JobMojito as interform's registry knows it (`interform.platforms`)."""

from interform.platforms import Platform

PLATFORM = Platform(
    name="jobmojito",
    display="JobMojito",
    credential_env="JOBMOJITO_TOKEN",
    adapter="interform.providers.jobmojito.provider:JobMojito",
    settings="interform.providers.jobmojito.settings:JobMojitoSettings",
    emulator="interform.sandbox.jobmojito:JobMojito",
    languages="interform.providers.jobmojito.languages",
    rules="interform.providers.jobmojito.validation",
    generator="interform.providers.jobmojito.generate",
    docs="docs/platforms/jobmojito.md",
    conditional_questions=True,
    no_webhooks="JobMojito configures webhooks only in its admin UI (no API)",
)
