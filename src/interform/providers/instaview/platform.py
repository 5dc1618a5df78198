"""Instaview as interform's registry knows it (`interform.platforms`)."""

from interform.platforms import Platform

PLATFORM = Platform(
    name="instaview",
    display="Instaview",
    credential_env="INSTAVIEW_API_KEY",
    adapter="interform.providers.instaview.provider:Instaview",
    settings="interform.providers.instaview.settings:InstaviewSettings",
    emulator="interform.sandbox.instaview:Instaview",
    languages="interform.providers.instaview.languages",
    rules="interform.providers.instaview.validation",
    generator="interform.providers.instaview.generate",
    docs="docs/platforms/instaview.md",
    webhooks="interform.providers.instaview.webhooks",
    lockfile_upgrade="interform.providers.instaview.legacy:upgrade",
    company_param="companyId",
)
