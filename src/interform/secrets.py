"""Secrets never reach output: every credential and platform-returned secret is registered
here, and every line interform prints or logs passes through `scrub`."""

from __future__ import annotations

import json
import logging
import threading
from urllib.parse import quote

_lock = threading.Lock()
_secrets: set[str] = set()

MASK = "****"


def register(secret: str | None) -> None:
    """Mask `secret` in everything printed or logged from now on, whatever its length: a
    five-character key echoed by a platform's error is still a key (a very short one
    masks ordinary words too, which is the lesser harm). Its JSON-escaped and URL-encoded
    forms are masked as well: those are how a server echoes a value back."""
    if not secret:
        return
    forms = {secret, json.dumps(secret)[1:-1], quote(secret, safe="")}
    with _lock:
        _secrets.update(form for form in forms if form)


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
