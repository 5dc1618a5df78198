"""JobMojito adapter. Importing it is cheap: no httpx, no jsonschema until a request."""

from interform.providers.jobmojito.provider import JobMojito

__all__ = ["JobMojito"]
