"""Each platform's emulator (named by its registry entry, `interform.platforms`), and the
one shared instance per (platform, state directory) in this process, so every transport
and the server see the same accounts."""

from __future__ import annotations

import threading
from pathlib import Path

from interform import platforms
from interform.sandbox.emulator import Emulator


def emulator_class(platform: str) -> type[Emulator]:
    """The emulator class of a registered platform."""
    if platform not in platforms.names():
        known = ", ".join(platforms.names())
        raise ValueError(f"no sandbox emulator for {platform!r}; there are: {known}")
    cls: type[Emulator] = platforms.load(platforms.get(platform).emulator)
    return cls


_shared: dict[tuple[str, Path], Emulator] = {}
_lock = threading.Lock()


def emulator(platform: str, state_dir: Path) -> Emulator:
    """The process-wide emulator of `platform` keeping its accounts under `state_dir`."""
    cls = emulator_class(platform)
    key = (platform, state_dir.resolve())
    with _lock:
        found = _shared.get(key)
        if found is None:
            found = _shared[key] = cls(key[1])
        return found


def close_all() -> None:
    """Close every shared emulator's files (the server calls this on shutdown)."""
    with _lock:
        for shared in _shared.values():
            shared.close()
        _shared.clear()
