"""The key that signs saved plans, so that one cannot be edited unnoticed.

A saved plan carries an HMAC-SHA256 of its whole content (the changes and every request
body, and what it was made from: lockfile lineage and digest, definition digests). The
key never goes into git: it is `INTERFORM_PLAN_KEY` when set (a CI secret, so a plan made
in one job applies in another), else `.interform/plan.key`, made on the first
`plan --out` (mode 0600, refused if git would commit it). A plan made elsewhere applies
only where the same key is set.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets as token
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from interform import secrets
from interform.digest import canonical_json
from interform.errors import UserError
from interform.paths import STATE_DIR

ENV_KEY: Final = "INTERFORM_PLAN_KEY"
KEY_FILE: Final = Path(STATE_DIR) / "plan.key"
MIN_KEY_CHARS: Final = 16
PREFIX: Final = "hmac-sha256:"


def signing_key(root: Path) -> bytes:
    """The key to sign a plan with: `plan_key`'s, else a new one kept in the project."""
    key = plan_key(root)
    return key if key is not None else _new_key(root / KEY_FILE)


def plan_key(root: Path | None) -> bytes | None:
    """The key plans are checked with: the environment's, else the project's key file;
    None when there is neither."""
    configured = os.environ.get(ENV_KEY, "").strip()
    if configured:
        if len(configured) < MIN_KEY_CHARS:
            raise UserError(
                f"{ENV_KEY} is {len(configured)} characters long: too short to sign plans",
                fix=f"set it to a random value of {MIN_KEY_CHARS} characters or more "
                "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)",
            )
        secrets.register(configured)
        return configured.encode()
    if root is None:
        return None
    return _key_file(root / KEY_FILE)


def _key_file(path: Path) -> bytes | None:
    from interform.untrusted import UntrustedInput, decode, read_regular

    try:
        text = decode(read_regular(path, 4096)).strip()
    except FileNotFoundError:
        return None
    except UntrustedInput as err:
        raise UserError(f"{path}: {err.message}", fix=f"delete it, or set {ENV_KEY}") from None
    if len(text) < MIN_KEY_CHARS:
        raise UserError(f"{path}: not a plan key", fix=f"delete it, or set {ENV_KEY}")
    secrets.register(text)
    return text.encode()


def _new_key(path: Path) -> bytes:
    from interform.secretfile import git_problem, write_secret

    problem = git_problem(path)
    if problem is not None:
        raise UserError(
            f"cannot keep the saved-plan key: {problem}",
            fix=f"add {STATE_DIR}/ to .gitignore, or set {ENV_KEY}",
        )
    key = token.token_hex(32)
    secrets.register(key)
    write_secret(path, key)
    return key.encode()


def sign(key: bytes, content: Mapping[str, Any]) -> str:
    digest = hmac.new(key, canonical_json(content).encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest


def verified(key: bytes, content: Mapping[str, Any], mac: object) -> bool:
    return isinstance(mac, str) and hmac.compare_digest(sign(key, content), mac)
