"""Bytes interform does not control, read without trusting them: its own state files
(the lockfile, its journal, saved plans: anyone may edit them) and the platforms'
answers. Only regular files, a size bound, UTF-8 checked with the bad byte's position,
JSON parsed with bounded nesting and no NaN or Infinity. Every failure is an
`UntrustedInput` carrying one line's worth of explanation (and a position when there is
one), never a crash: the caller turns it into a `Problem` or an error with its own fix.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path
from typing import Any, Final

import pydantic_core

# far above any real lockfile (10,000 definitions take ~30 MB), far below what a
# `/dev/zero`-like file would make us allocate
MAX_STATE_BYTES: Final = 1 << 30

# pydantic-core stops at 200 levels of nesting and at numbers it cannot hold; its
# message ends with the position
_POSITION: Final = re.compile(r"^(?P<msg>.*?) at line (?P<line>\d+) column (?P<col>\d+)$")
_FRIENDLIER: Final = {
    "recursion limit exceeded": "nested too deeply (more than 200 levels)",
    "number out of range": "a number with too many digits",
}


class UntrustedInput(Exception):
    """What is wrong with the input, at `line`:`col` when known (1-based, 0: none)."""

    def __init__(self, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def read_regular(
    path: Path, max_bytes: int = MAX_STATE_BYTES, *, follow_links: bool = True
) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `max_bytes`.

    FileNotFoundError propagates (callers decide what absence means); anything else that
    stops the read is a UntrustedInput. The file is opened non-blocking, so a FIFO is
    refused instead of waiting for a writer, and checked before a byte is read, so a
    device such as /dev/zero is never read at all. `follow_links=False` refuses a
    symbolic link (for files only interform itself creates)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as err:
        if err.errno == errno.ELOOP and not follow_links:
            raise UntrustedInput("it is a symbolic link; interform never makes one here") from None
        raise UntrustedInput(f"cannot read it: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        _check_regular(info.st_mode, info.st_size, max_bytes)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(max_bytes + 1)
    except OSError as err:
        raise UntrustedInput(f"cannot read it: {err.strerror or err}") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # grew while we read it
        raise UntrustedInput(f"it is more than the {max_bytes:,} bytes allowed")
    return data


def _check_regular(mode: int, size: int, max_bytes: int) -> None:
    if stat.S_ISDIR(mode):
        raise UntrustedInput("it is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise UntrustedInput("it is not a regular file (a device, FIFO or socket)")
    if size > max_bytes:
        raise UntrustedInput(f"it is {size:,} bytes, more than the {max_bytes:,} allowed")


def decode(raw: bytes) -> str:
    """UTF-8 text; a UntrustedInput at the first byte that is not."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise UntrustedInput(
            f"byte 0x{raw[err.start]:02x} is not valid UTF-8 (a binary file?)", line, col
        ) from None


def parse_json(text: str | bytes) -> Any:
    """The JSON value of `text`, or a UntrustedInput positioned at the problem."""
    if isinstance(text, bytes):
        text = decode(text)
    try:
        return pydantic_core.from_json(text, allow_inf_nan=False)
    except ValueError as err:
        raise _syntax_problem(text, str(err)) from None


def _syntax_problem(text: str, fast_message: str) -> UntrustedInput:
    """The standard library words a syntax error best ("Expecting ',' delimiter"); it
    cannot be asked about deep nesting or huge numbers, so those keep pydantic-core's
    diagnosis (which stops at them, with their position)."""
    match = _POSITION.match(fast_message)
    message = match["msg"] if match else fast_message
    if message not in _FRIENDLIER:
        try:
            json.loads(text)
        except json.JSONDecodeError as err:
            return UntrustedInput(f"not valid JSON: {err.msg}", err.lineno, err.colno)
        except (ValueError, RecursionError):
            pass
    line, col = (int(match["line"]), int(match["col"])) if match else (0, 0)
    return UntrustedInput(f"not valid JSON: {_FRIENDLIER.get(message, message)}", line, col)


def load_json_file(path: Path, max_bytes: int = MAX_STATE_BYTES) -> Any:
    """`read_regular` then `parse_json`; FileNotFoundError propagates."""
    return parse_json(read_regular(path, max_bytes))
