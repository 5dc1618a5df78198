"""Versive (https://api.getversive.com): studies and their participant interviews."""

from interform.providers.versive.provider import Versive

__all__ = ["Versive"]
