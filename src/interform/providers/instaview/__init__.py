"""Instaview (https://api.instaview.sk): agents and their interview sessions."""

from interform.providers.instaview.provider import Instaview

__all__ = ["Instaview"]
