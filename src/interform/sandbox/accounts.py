"""Which emulated account a credential opens. The key itself is never stored or printed:
`sandbox-<name>` opens account `<name>`, any other key `key-<8 hex of its sha256>`."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote, unquote

SANDBOX_PREFIX = "sandbox-"
LOG_SUFFIX = ".jsonl"
LOCK_SUFFIX = ".lock"


def account_name(credential: str) -> str:
    name = credential[len(SANDBOX_PREFIX) :] if credential.startswith(SANDBOX_PREFIX) else ""
    if name:
        return name
    return "key-" + hashlib.sha256(credential.encode()).hexdigest()[:8]


def sandbox_credential(target_name: str) -> str:
    """The credential `--sandbox` presents for a target: its own account, per target."""
    return SANDBOX_PREFIX + target_name


def log_path(platform_dir: Path, account: str) -> Path:
    # account names come from target names: keep any character, but never a path
    return platform_dir / (quote(account, safe="") + LOG_SUFFIX)


def account_of(log: Path) -> str:
    return unquote(log.name[: -len(LOG_SUFFIX)])
