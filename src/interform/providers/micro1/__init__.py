"""micro1 adapter. Importing it is cheap: no httpx, no jsonschema until a request."""

from interform.providers.micro1.provider import Micro1

__all__ = ["Micro1"]
