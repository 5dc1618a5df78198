"""Logging on stderr, secrets masked: warnings always (one line each, the message alone,
e.g. a listing that stopped early); with --debug also HTTP calls and decisions, with
timestamps."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from interform.secrets import ScrubFilter

_installed: list[logging.Handler] = []


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to `sys.stderr` as it is when a record arrives: click's test runner and
    the apply console swap it, and a handler holding the old stream would write to a
    closed file."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass  # always the stream of the moment


def setup_logging(debug: bool = False) -> None:
    """(Re)install interform's one stderr handler; calling it again replaces it."""
    logger = logging.getLogger("interform")
    for old in _installed:
        logger.removeHandler(old)
    handler = _Stderr()
    if debug:
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    else:
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(ScrubFilter())
    logger.setLevel(logging.DEBUG if debug else logging.NOTSET)
    logger.addHandler(handler)
    _installed[:] = [handler]


def setup_debug_logging() -> None:
    setup_logging(debug=True)
