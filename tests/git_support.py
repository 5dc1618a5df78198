"""git for tests: an environment with a fixed identity and none of the machine's own git
configuration, so every test sees the same git whoever runs it."""

from __future__ import annotations

import os
from collections.abc import Mapping


def git_env(base: Mapping[str, str] | None = None, *, identity: bool = True) -> dict[str, str]:
    """`base` (default: this process's environment, without interform's variables) with
    no global or system git config and, with `identity`, a fixed author and committer
    (without it, whoever commits must configure one, as a CI runner must)."""
    if base is None:
        base = {k: v for k, v in os.environ.items() if not k.startswith("INTERFORM_")}
    env = {
        **base,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
    }
    if identity:
        env.update(
            GIT_AUTHOR_NAME="t",
            GIT_AUTHOR_EMAIL="t@example.com",
            GIT_COMMITTER_NAME="t",
            GIT_COMMITTER_EMAIL="t@example.com",
        )
    return env
