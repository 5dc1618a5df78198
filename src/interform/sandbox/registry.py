"""The four emulators by platform name, and the one shared instance per (platform, state
directory) in this process, so every transport and the server see the same accounts."""

from __future__ import annotations

import threading
from pathlib import Path

from interform.sandbox.emulator import Emulator
from interform.sandbox.instaview import Instaview
from interform.sandbox.jobmojito import JobMojito
from interform.sandbox.micro1 import Micro1
from interform.sandbox.versive import Versive

EMULATORS: dict[str, type[Emulator]] = {
    "micro1": Micro1,
    "jobmojito": JobMojito,
    "instaview": Instaview,
    "versive": Versive,
}

_shared: dict[tuple[str, Path], Emulator] = {}
_lock = threading.Lock()


def emulator(platform: str, state_dir: Path) -> Emulator:
    """The process-wide emulator of `platform` keeping its accounts under `state_dir`."""
    if platform not in EMULATORS:
        known = ", ".join(EMULATORS)
        raise ValueError(f"no sandbox emulator for {platform!r}; there are: {known}")
    key = (platform, state_dir.resolve())
    with _lock:
        found = _shared.get(key)
        if found is None:
            found = _shared[key] = EMULATORS[platform](key[1])
        return found


def close_all() -> None:
    """Close every shared emulator's files (the server calls this on shutdown)."""
    with _lock:
        for shared in _shared.values():
            shared.close()
        _shared.clear()
