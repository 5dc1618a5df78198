"""Platforms that live outside interform, as a third-party package would add them."""
