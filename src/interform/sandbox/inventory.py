"""What the emulated accounts hold (`interform sandbox show`) and clearing them
(`interform sandbox reset`)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from interform.platforms import names as platform_names
from interform.sandbox.accounts import LOG_SUFFIX, account_of
from interform.sandbox.registry import emulator

COLUMNS = ("platform", "account", "kind", "id", "name", "status", "links")


def inventory(state_dir: Path) -> list[dict[str, Any]]:
    """One row per object of every account on disk, platform by platform."""
    rows: list[dict[str, Any]] = []
    for platform in platform_names():
        em = emulator(platform, state_dir)
        for name in em.store.names():
            account = em.store.account(name)
            with account.reading():
                for kind in account.kinds():
                    for oid, obj in account.items(kind):
                        summary = em.summarize(kind, obj)
                        rows.append(
                            {
                                "platform": platform,
                                "account": name,
                                "kind": kind,
                                "id": oid,
                                "name": summary.name,
                                "status": summary.status,
                                "links": summary.links,
                            }
                        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """Aligned columns; links as `name=url` pairs."""
    cells = [[str(c).upper() for c in COLUMNS]]
    for row in rows:
        links = " ".join(f"{k}={v}" for k, v in row["links"].items())
        cells.append([*(str(row[c]) for c in COLUMNS[:-1]), links])
    widths = [max(len(r[i]) for r in cells) for i in range(len(COLUMNS) - 1)]
    return "\n".join(
        "  ".join([*(v.ljust(w) for v, w in zip(r, widths, strict=False)), r[-1]]).rstrip()
        for r in cells
    )


def remove(
    state_dir: Path, platforms: Collection[str] = (), accounts: Collection[str] = ()
) -> list[tuple[str, str]]:
    """Delete the logs of the chosen accounts (all by default) under each account's
    write lock, so a server sharing the directory sees them go and starts empty."""
    removed = []
    for platform in platforms or platform_names():
        directory = state_dir / platform
        if not directory.is_dir():
            continue
        for log in sorted(directory.glob("*" + LOG_SUFFIX)):
            name = account_of(log)
            if accounts and name not in accounts:
                continue
            emulator(platform, state_dir).store.account(name).erase()
            removed.append((platform, name))
    return removed
