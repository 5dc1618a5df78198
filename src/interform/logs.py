"""Logging for --debug: HTTP calls and decisions on stderr, secrets masked."""

from __future__ import annotations

import logging
import sys

from interform.secrets import ScrubFilter


def setup_debug_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    handler.addFilter(ScrubFilter())
    root = logging.getLogger("interform")
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
