"""Versive as interform's registry knows it (`interform.platforms`)."""

from interform.platforms import Platform

PLATFORM = Platform(
    name="versive",
    display="Versive",
    credential_env="VERSIVE_API_KEY",
    adapter="interform.providers.versive.provider:Versive",
    settings="interform.providers.versive.settings:VersiveSettings",
    emulator="interform.sandbox.versive:Versive",
    languages="interform.providers.versive.languages",
    rules="interform.providers.versive.validation",
    generator="interform.providers.versive.generate",
    docs="docs/platforms/versive.md",
    no_webhooks="Versive's webhooks are organisation-wide and documented without an API",
)
