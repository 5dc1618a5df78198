"""Secrets never reach output: every credential and platform-returned secret is registered
here, and every line interform prints or logs passes through `scrub`."""

from __future__ import annotations

import logging
import threading

_lock = threading.Lock()
_secrets: set[str] = set()

MASK = "****"


def register(secret: str | None) -> None:
    # very short values would mask ordinary words; real credentials are long
    if secret and len(secret) >= 6:
        with _lock:
            _secrets.add(secret)


def scrub(text: str) -> str:
    if not _secrets:
        return text
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class ScrubFilter(logging.Filter):
    """Masks registered secrets in every log record (message and arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = ()
        return True
