"""micro1 as interform's registry knows it (`interform.platforms`)."""

from interform.platforms import Platform

PLATFORM = Platform(
    name="micro1",
    display="micro1",
    credential_env="MICRO1_API_KEY",
    adapter="interform.providers.micro1.provider:Micro1",
    settings="interform.providers.micro1.settings:Micro1Settings",
    emulator="interform.sandbox.micro1:Micro1",
    languages="interform.providers.micro1.languages",
    rules="interform.providers.micro1.validation",
    generator="interform.providers.micro1.generate",
    docs="docs/platforms/micro1.md",
    webhooks="interform.providers.micro1.webhooks",
)
