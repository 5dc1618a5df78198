"""`interform schema`: keep a project's `schemas/` equal to what the models generate."""

from __future__ import annotations

from pathlib import Path

from interform import hints
from interform.errors import Problem
from interform.schemas import PROVIDERS_DIR, SCHEMAS_DIR, generated


def _stale_provider_files(root: Path, wanted: dict[str, str]) -> list[str]:
    """Copies under schemas/providers/ whose source left the package."""
    directory = root / SCHEMAS_DIR / PROVIDERS_DIR
    if not directory.is_dir():
        return []
    return sorted(
        f"{PROVIDERS_DIR}/{p.name}"
        for p in directory.glob("*.json")
        if f"{PROVIDERS_DIR}/{p.name}" not in wanted
    )


def _differs(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") != text
    except (OSError, UnicodeDecodeError):
        return True


def write_schemas(root: Path) -> list[str]:
    """Write what differs and remove stale provider copies; what was done, per file."""
    wanted = generated()
    done: list[str] = []
    for name, text in wanted.items():
        path = root / SCHEMAS_DIR / name
        if _differs(path, text):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            done.append(f"wrote {SCHEMAS_DIR}/{name}")
    for name in _stale_provider_files(root, wanted):
        (root / SCHEMAS_DIR / name).unlink()
        done.append(f"removed {SCHEMAS_DIR}/{name}")
    return done


def check_schemas(root: Path) -> list[Problem]:
    """One problem per schema file that is missing, different or stale."""
    wanted = generated()
    fix = f"run `{hints.command('schema')}`"
    problems = [
        Problem(f"{SCHEMAS_DIR}/{name}", 0, 0, _state(root / SCHEMAS_DIR / name), fix)
        for name, text in wanted.items()
        if _differs(root / SCHEMAS_DIR / name, text)
    ]
    problems += [
        Problem(f"{SCHEMAS_DIR}/{name}", 0, 0, "no longer generated", fix)
        for name in _stale_provider_files(root, wanted)
    ]
    return problems


def _state(path: Path) -> str:
    return "differs from the generated schema" if path.exists() else "missing"
