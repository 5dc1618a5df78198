"""The toy platform's registry entry: all interform needs to know about it."""

from interform.platforms import Platform

PLATFORM = Platform(
    name="toy",
    display="Toy",
    credential_env="TOY_API_KEY",
    adapter="toy_interform.provider:Toy",
    settings="toy_interform.settings:ToySettings",
    emulator="toy_interform.emulator:ToyEmulator",
    languages="toy_interform.languages",
    rules="toy_interform.validation",
)
